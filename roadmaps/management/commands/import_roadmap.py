import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from organizations.models import Organization
from roadmaps.importing import ImportRefused, parse_file
from roadmaps.importing.preview import build_preview
from roadmaps.importing.save import match_organizations, roadmap_import


class Command(BaseCommand):
    help = "Импортирует дорожную карту из .docx, .xlsx или текстовой таблицы: сначала показывает разбор."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--owner", required=True, help="организация-владелец: id или краткое наименование"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только показать разбор, ничего не сохранять"
        )
        parser.add_argument("--json", action="store_true", help="вывести разобранную дорожную карту как JSON")
        parser.add_argument(
            "--create-unknown", action="store_true", help="создать организации, которых нет в справочнике"
        )
        parser.add_argument(
            "--approve", action="store_true", help="утвердить актом из документа (иначе черновик)"
        )
        parser.add_argument("--user", default="", help="от чьего имени записать историю изменений")

    def handle(
        self,
        *args,
        path: Path,
        owner: str,
        dry_run: bool,
        json: bool,
        create_unknown: bool,
        user: str,
        approve: bool = False,
        **options,
    ) -> None:
        owner_org = self._owner(owner)
        try:
            parsed = parse_file(path.read_bytes(), path.name)
        except FileNotFoundError as exc:
            raise CommandError(f"Файл не найден: {path}") from exc
        except ImportRefused as exc:
            raise CommandError(exc.message) from exc
        if json:
            self.stdout.write(_dumps(parsed.to_json_dict()))
        else:
            self._print_preview(build_preview(parsed, owner=owner_org))
        if dry_run:
            return
        actor = get_user_model().objects.filter(username=user).first() if user else None
        create = match_organizations(parsed, owner=owner_org).unknown if create_unknown else ()
        roadmap = roadmap_import(actor=actor, parsed=parsed, owner=owner_org, create=create, approve=approve)
        self.stderr.write(
            f"Сохранено: дорожная карта № {roadmap.pk} «{roadmap.title}», "
            f"мероприятий: {roadmap.activities.count()}."
        )

    def _owner(self, value: str) -> Organization:
        query = Q(short_name=value) | Q(pk=int(value)) if value.isdigit() else Q(short_name=value)
        found = list(Organization.objects.filter(query)[:2])
        if len(found) != 1:
            raise CommandError(f"Организация «{value}» не найдена или не единственная.")
        return found[0]

    def _print_preview(self, preview) -> None:
        parsed = preview.parsed
        self.stdout.write(
            f"{parsed.title}\nПериод: {preview.period_display}; разделов: {len(parsed.sections)}, "
            f"мероприятий: {len(parsed.activities)}"
        )
        if parsed.approving_act:
            self.stdout.write(f"Утверждена: {parsed.approving_act.text}")
        for section in preview.sections:
            self.stdout.write(f"\n{section.title}")
            for row in section.rows:
                mark = " [требует проверки]" if row.problems else ""
                self.stdout.write(
                    f"  {row.activity.number} {row.activity.title[:70]} — "
                    f"{row.activity.deadline_text!r} → {row.schedule_description}{mark}"
                )
        for warning in preview.warnings:
            self.stdout.write(f"! {warning}")
        if preview.unknown_organizations:
            self.stdout.write("Нет в справочнике организаций: " + "; ".join(preview.unknown_organizations))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
