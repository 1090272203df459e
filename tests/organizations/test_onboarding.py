# ruff: noqa: E501 — the files' rows are tables, one row a line
"""Bulk onboarding from Excel (organizations/onboarding/): the rows' checks, the preview, the confirmation."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from organizations.models import Membership, Municipality, OnboardingUpload, Organization
from organizations.onboarding import services
from organizations.onboarding.plan import (
    CREATE,
    REFUSED,
    SAME,
    UPDATE,
    inn_problem,
    organization_cells,
    person_cells,
)
from organizations.onboarding.sheets import ORGANIZATION_COLUMNS, PERSON_COLUMNS, read_workbook
from tests import factories

User = get_user_model()
Role = Membership.Role

GOOD_INN = "7707083893"  # check digits right
GOOD_INN_2 = "7017000014"  # ditto, computed below in a test
ORG_HEADERS = [header for header, _hint in ORGANIZATION_COLUMNS.values()]
PERSON_HEADERS = [header for header, _hint in PERSON_COLUMNS.values()]


def _inn(prefix: str) -> str:
    """A valid 10-digit ИНН starting with the 9 digits given."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return prefix + str(sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 11 % 10)


def workbook(organizations: list[dict] = (), people: list[dict] = ()) -> bytes:
    """An onboarding file as a person fills it: headers, then the rows' cells by column key."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Организации"
    sheet.append(ORG_HEADERS)
    for row in organizations:
        sheet.append([row.get(key) for key in ORGANIZATION_COLUMNS])
    people_sheet = book.create_sheet("Сотрудники")
    people_sheet.append(PERSON_HEADERS)
    for row in people:
        people_sheet.append([row.get(key) for key in PERSON_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _preview(actor, data: bytes):
    upload = services.onboarding_upload_create(actor=actor, file_name="file.xlsx", data=data)
    return upload, services.onboarding_preview(actor=actor, upload=upload)


def _counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "organization_history": Organization.history.count(),
        "user_history": User.history.count(),
        "membership_history": Membership.history.count(),
    }


@pytest.fixture
def district(world):
    return factories.MunicipalityFactory(region=world.region_org.region, name="Томский район")


# --- The rows' own cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inn", "problem"),
    [
        ("7707083893", None),
        ("500100732259", None),
        ("7707083894", "не сходится контрольное число"),
        ("123", "нужно 10 цифр"),
        ("77070838AB", "нужно 10 цифр"),
        ("500100732258", "не сходится контрольное число"),
    ],
)
def test_inn_check_digits(inn, problem):
    found = inn_problem(inn)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize(
    ("cells", "expected", "problems"),
    [
        ({"full_name": "Школа № 5"}, {"short_name": "Школа № 5", "kind": "", "inn": ""}, []),
        ({"full_name": "Школа", "kind": "общеобразовательная организация"}, {"kind": "school"}, []),
        ({"full_name": "Школа", "kind": "Общеобразовательная организация"}, {"kind": "school"}, []),
        ({"full_name": "Школа", "kind": "лицей"}, {}, ["неизвестный вид «лицей»"]),
        ({"full_name": ""}, {}, ["не указано полное наименование"]),
        (
            {"full_name": "Школа", "inn": "12345"},
            {},
            ["неверный ИНН «12345»: нужно 10 цифр (12 у предпринимателя)"],
        ),
        ({"full_name": "Школа", "email": "нет-адреса"}, {}, ["неверный e-mail организации «нет-адреса»"]),
        ({"full_name": "Школа", "code": "12a"}, {}, ["неверный код в портале «12a»: это число из выгрузки"]),
        ({"full_name": "Ш" * 501}, {}, ["в столбце «Полное наименование» больше 500 знаков"]),
        ({"full_name": "Школа", "phone": "", "address": ""}, {"phone": "", "address": ""}, []),
    ],
)
def test_organization_cells(cells, expected, problems):
    values, found = organization_cells(cells)
    assert found == problems
    for key, value in expected.items():
        assert values[key] == value


@pytest.mark.parametrize(
    ("cells", "expected", "problems"),
    [
        ({"email": "A.Ivanova@Example.org", "role": "координатор", "organization": "СОШ"},
         {"email": "a.ivanova@example.org", "role": "coordinator"}, []),
        ({"email": "a@example.org", "role": "Сотрудник", "organization": "СОШ"}, {"role": "staff"}, []),
        ({"email": "a@example.org", "role": "наблюдатель", "organization": "СОШ", "position": ""},
         {"role": "observer", "position": ""}, []),
        ({"email": "", "role": "аналитик", "organization": "СОШ"}, {}, ["не указан e-mail"]),
        ({"email": "плохой", "role": "аналитик", "organization": "СОШ"}, {}, ["неверный e-mail «плохой»"]),
        ({"email": "a@example.org", "role": "директор", "organization": "СОШ"}, {},
         ["неизвестная роль «директор»: сотрудник, координатор, аналитик или наблюдатель"]),
        ({"email": "a@example.org", "role": "", "organization": "СОШ"}, {}, ["не указана роль"]),
        ({"email": "a@example.org", "role": "аналитик", "organization": ""}, {}, ["не указана организация"]),
    ],
)  # fmt: skip
def test_person_cells(cells, expected, problems):
    values, found = person_cells(cells)
    assert found == problems
    for key, value in expected.items():
        assert values[key] == value


def test_reading_takes_columns_by_header_gives_blank_cells_as_blank_and_leaves_out_missing_columns():
    book = Workbook()
    sheet = book.active
    sheet.title = "Организации"
    sheet.append(["ИНН", "полное  наименование", "Что-то своё", "Вышестоящая"])
    sheet.append([770708389, "Школа", "x", None])  # an ИНН typed as a number lost its leading zero
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    organizations, people = read_workbook(buffer.getvalue())
    assert people.rows == []
    [(number, row)] = organizations.rows
    assert number == 2
    assert (
        row["inn"] == "0770708389"
        and row["full_name"] == "Школа"
        and row["parent"] == ""
        and "phone" not in row  # a column the sheet lacks is absent, not blank
    )


# --- The preview ----------------------------------------------------------------------------------------


def test_preview_classifies_rows_with_russian_reasons(world, district):
    factories.UserFactory(username="known@example.org", email="Known@Example.org")
    data = workbook(
        organizations=[
            {"full_name": "Управление образования Томского района", "short_name": "УО Томского района",
             "kind": "муниципальный орган управления образованием", "parent": "ДО", "municipality": "Томский район",
             "inn": _inn("701400001")},
            {"full_name": "Школа с. Зональное", "short_name": "Зональная СОШ", "parent": "УО Томского района",
             "kind": "общеобразовательная организация", "municipality": "Томский район"},
            {"full_name": "Школа без родителя", "parent": "Нет такой"},
            {"full_name": "Школа с плохим ИНН", "parent": "ДО", "inn": "7707083894"},
            {"full_name": "Школа чужая", "parent": str(world.foreign_org.pk)},
            {"code": str(world.school.pk), "full_name": world.school.full_name, "short_name": world.school.short_name,
             "kind": "общеобразовательная организация", "parent": str(world.region_org.pk), "phone": "+7 3822 000000"},
            {"code": str(world.other_school.pk), "full_name": world.other_school.full_name,
             "short_name": world.other_school.short_name, "kind": "общеобразовательная организация",
             "parent": str(world.region_org.pk)},
            {"full_name": "Школа в неизвестном районе", "parent": "ДО", "municipality": "Нигде"},
            {"full_name": "Школа вида", "parent": "ДО", "kind": "гимназия"},
        ],
        people=[
            {"full_name": "Иванова Анна", "email": "anna@example.org", "organization": "Зональная СОШ",
             "role": "координатор"},
            {"full_name": "Иванова Анна", "email": "ANNA@example.org", "organization": "Зональная СОШ",
             "role": "наблюдатель"},
            {"full_name": "", "email": "known@example.org", "organization": "СОШ № 1", "role": "аналитик"},
            {"full_name": "Чужой", "email": "c@example.org", "organization": "МО", "role": "координатор"},
            {"full_name": "Петров", "email": "p@example.org", "organization": "Школа без родителя",
             "role": "координатор"},
        ],
    )  # fmt: skip
    _upload, plan = _preview(world.staff, data)
    statuses = [(row.status, row.reasons) for row in plan.organizations]
    assert statuses[0] == (CREATE, [])
    assert statuses[1] == (CREATE, [])
    assert statuses[2] == (REFUSED, ["неизвестная вышестоящая организация «Нет такой»"])
    assert statuses[3] == (REFUSED, ["неверный ИНН «7707083894»: не сходится контрольное число"])
    assert statuses[4] == (
        REFUSED,
        [f"вышестоящая организация с кодом {world.foreign_org.pk} вне вашей зоны"],
    )
    assert statuses[5][0] == UPDATE and plan.organizations[5].changes == ["Телефон"]
    assert statuses[6] == (SAME, [])
    assert statuses[7] == (REFUSED, ["неизвестное муниципальное образование «Нигде»"])
    assert statuses[8] == (REFUSED, ["неизвестный вид «гимназия»"])
    people = [(row.status, row.reasons) for row in plan.people]
    duplicate = "e-mail повторяется в файле для этой организации (строки 2 и 3)"
    assert people[0] == (REFUSED, [duplicate]) and people[1] == (REFUSED, [duplicate])
    assert people[2] == (UPDATE, []) and plan.people[2].notes == [
        "учётная запись уже есть: будет добавлена роль"
    ]
    assert people[3] == (REFUSED, ["неизвестная организация «МО»"])
    assert people[4] == (REFUSED, ["организация в строке 4 листа «Организации» отклонена"])
    assert plan.refused == 9


def test_a_refused_parent_refuses_the_new_rows_below_it(world):
    data = workbook(organizations=[
        {"full_name": "Управление", "parent": "Нет такой"},
        {"full_name": "Школа", "parent": "Управление"},
    ])  # fmt: skip
    _upload, plan = _preview(world.staff, data)
    assert plan.organizations[1].reasons == ["вышестоящая организация в строке 2 отклонена"]


def test_parents_that_point_at_each_other_are_refused(world):
    data = workbook(organizations=[
        {"full_name": "А", "parent": "Б"},
        {"full_name": "Б", "parent": "А"},
    ])  # fmt: skip
    _upload, plan = _preview(world.staff, data)
    assert all("замыкаются в круг" in row.reasons[0] for row in plan.organizations)


def test_an_inn_already_in_the_portal_points_at_its_code(world):
    world.school.inn = GOOD_INN
    world.school.save()
    data = workbook(organizations=[{"full_name": "Дубль", "parent": "ДО", "inn": GOOD_INN}])
    _upload, plan = _preview(world.staff, data)
    assert plan.organizations[0].reasons == [
        f"организация с ИНН {GOOD_INN} уже есть в портале (код {world.school.pk}): укажите её код, чтобы обновить"
    ]


def test_the_same_inn_twice_in_the_file_is_refused_on_both_rows(world):
    data = workbook(organizations=[
        {"full_name": "Одна", "parent": "ДО", "inn": GOOD_INN},
        {"full_name": "Другая", "parent": "ДО", "inn": GOOD_INN},
    ])  # fmt: skip
    _upload, plan = _preview(world.staff, data)
    assert [row.reasons for row in plan.organizations] == [["ИНН повторяется в файле (строки 2 и 3)"]] * 2


def test_a_school_staff_member_cannot_import_above_their_school(world):
    head = factories.UserFactory(username="head")
    Membership.objects.create(user=head, organization=world.school, role=Role.STAFF)
    data = workbook(
        organizations=[{"full_name": "Филиал", "parent": "ДО"}],
        people=[
            {"full_name": "Завуч", "email": "z@example.org", "organization": "СОШ № 2", "role": "сотрудник"}
        ],
    )
    _upload, plan = _preview(head, data)
    assert plan.organizations[0].reasons == ["неизвестная вышестоящая организация «ДО»"]
    assert plan.people[0].reasons == ["неизвестная организация «СОШ № 2»"]
    data = workbook(organizations=[{"full_name": "Филиал", "parent": str(world.region_org.pk)}])
    _upload, plan = _preview(head, data)
    assert plan.organizations[0].reasons == [
        f"вышестоящая организация с кодом {world.region_org.pk} вне вашей зоны"
    ]


def test_a_file_that_is_not_a_workbook_is_refused_whole(world):
    with pytest.raises(ValidationError, match="не читается как книга Excel"):
        services.onboarding_upload_create(actor=world.staff, file_name="x.xlsx", data=b"not a zip")


def test_only_staff_upload(world):
    with pytest.raises(PermissionDenied):
        services.onboarding_upload_create(actor=world.analyst, file_name="x.xlsx", data=workbook())


# --- Confirmation ---------------------------------------------------------------------------------------


def _new_district_file(district_name: str = "Томский район") -> bytes:
    return workbook(
        organizations=[
            {"full_name": "Управление образования Томского района", "short_name": "УО Томского района",
             "kind": "муниципальный орган управления образованием", "parent": "ДО", "municipality": district_name},
            {"full_name": "Школа с. Зональное", "short_name": "Зональная СОШ", "parent": "УО Томского района",
             "kind": "общеобразовательная организация", "municipality": district_name, "inn": _inn("701400002")},
            {"full_name": "Школа с. Кафтанчиково", "short_name": "Кафтанчиковская СОШ", "parent": _inn("701400002"),
             "kind": "общеобразовательная организация"},
        ],
        people=[
            {"full_name": "Иванова Анна Петровна", "email": "Anna@Example.org", "organization": "Зональная СОШ",
             "role": "координатор", "position": "завуч"},
            {"full_name": "Иванова Анна Петровна", "email": "anna@example.org", "organization": "УО Томского района",
             "role": "наблюдатель"},
            {"full_name": "Сидоров Олег", "email": "oleg@example.org", "organization": "УО Томского района",
             "role": "сотрудник"},
            {"full_name": "", "email": "COORDINATOR@example.org", "organization": "Кафтанчиковская СОШ",
             "role": "координатор"},
        ],
    )  # fmt: skip


def test_confirm_creates_the_tree_accounts_and_memberships_with_history(
    world, district, django_capture_on_commit_callbacks
):
    world.coordinator.email = "coordinator@example.org"
    world.coordinator.save()
    upload, plan = _preview(world.staff, _new_district_file())
    assert plan.refused == 0
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.onboarding_apply(upload_id=upload.pk)
    assert (result.organizations_created, result.people_created, result.memberships_created) == (3, 2, 4)
    authority = Organization.objects.get(short_name="УО Томского района")
    school = Organization.objects.get(short_name="Зональная СОШ")
    village = Organization.objects.get(short_name="Кафтанчиковская СОШ")
    assert authority.parent == world.region_org and school.parent == authority and village.parent == school
    assert school.path == f"{world.region_org.path}{authority.pk}/{school.pk}/"
    assert village.path == f"{school.path}{village.pk}/"
    assert school.region == world.region_org.region and school.municipality == district
    assert authority.kind == "municipal_authority" and village.municipality is None
    assert Organization.history.filter(id=school.pk).get().history_user == world.staff
    assert Organization.history.filter(id=school.pk).get().path == school.path
    anna = User.objects.get(email="anna@example.org")
    assert anna.username == "anna@example.org" and not anna.has_usable_password()
    assert (anna.last_name, anna.first_name) == ("Иванова", "Анна Петровна")
    assert User.history.get(id=anna.pk).history_user == world.staff
    assert set(anna.memberships.values_list("organization__short_name", "role", "position")) == {
        ("Зональная СОШ", "coordinator", "завуч"), ("УО Томского района", "observer", "")
    }  # fmt: skip
    # The existing account, matched whatever the e-mail's case, got the membership and no second account.
    assert User.objects.filter(email__iexact="coordinator@example.org").count() == 1
    assert Membership.objects.filter(user=world.coordinator, organization=village).exists()
    assert Membership.history.filter(history_user=world.staff).count() == 4
    after = _counts()
    assert after["organizations"] - before["organizations"] == 3
    assert after["memberships"] - before["memberships"] == 4
    # One mail per person, after the commit: two invitations and one notice of a new role.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.org",
        "coordinator@example.org",
        "oleg@example.org",
    ]
    invitation = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert "/people/invitation/" in invitation.body
    assert OnboardingUpload.objects.get(pk=upload.pk).status == "applied"


def test_invitations_are_sent_once_and_only_after_the_commit(
    world, district, django_capture_on_commit_callbacks
):
    upload, _plan = _preview(world.staff, _new_district_file())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.onboarding_apply(upload_id=upload.pk)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3
    with pytest.raises(ValidationError, match="уже загружен"):
        services.onboarding_apply(upload_id=upload.pk)
    assert len(mail.outbox) == 3


def test_a_file_with_one_bad_row_writes_nothing(world, district, django_capture_on_commit_callbacks):
    data = _new_district_file()
    book = load_workbook(io.BytesIO(data))
    book["Сотрудники"].append(["Плохой", "плохой-адрес", "ДО", "координатор", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    upload, plan = _preview(world.staff, buffer.getvalue())
    assert plan.refused == 1
    before = _counts()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Ничего не записано"),
    ):
        services.onboarding_apply(upload_id=upload.pk)
    assert _counts() == before
    assert mail.outbox == []
    assert OnboardingUpload.objects.get(pk=upload.pk).status == "ready"


def test_confirm_plans_again_on_the_directory_as_it_is_then(world, district):
    upload, plan = _preview(world.staff, _new_district_file())
    assert plan.refused == 0
    Municipality.objects.filter(pk=district.pk).update(name="Переименованный район")
    before = _counts()
    with pytest.raises(ValidationError, match="отклонённых строк: 5"):
        services.onboarding_apply(upload_id=upload.pk)
    assert _counts() == before


def test_the_export_reimports_with_no_changes(world, district, django_capture_on_commit_callbacks):
    world.school.inn = "7000000000"  # an ИНН with wrong check digits already stored stays untouched
    world.school.municipality = district
    world.school.phone = "=1+1"  # text that looks like a formula comes back as that text
    world.school.save()
    upload, _plan = _preview(world.staff, _new_district_file())
    with django_capture_on_commit_callbacks(execute=True):
        services.onboarding_apply(upload_id=upload.pk)
    exported = services.onboarding_export(actor=world.staff)
    upload, plan = _preview(world.staff, exported)
    assert plan.organizations and plan.people
    assert {row.status for row in plan.organizations} == {SAME}, [
        (r.number, r.reasons) for r in plan.organizations
    ]
    assert {row.status for row in plan.people} == {SAME}, [(r.number, r.reasons) for r in plan.people]
    assert not plan.has_changes
    organizations, _people = read_workbook(exported)
    assert str(world.foreign_org.pk) not in {row["code"] for _n, row in organizations.rows}
    before = _counts()
    services.onboarding_apply(upload_id=upload.pk)
    assert _counts() == before


def test_an_updated_organisation_keeps_its_history_and_version_step(world):
    data = workbook(organizations=[{
        "code": str(world.school.pk), "full_name": world.school.full_name, "short_name": world.school.short_name,
        "kind": "", "parent": str(world.region_org.pk), "phone": "+7 3822 111111", "inn": GOOD_INN,
    }])  # fmt: skip
    upload, plan = _preview(world.staff, data)
    assert plan.organizations[0].status == UPDATE
    assert set(plan.organizations[0].changes) == {"ИНН", "Телефон"}
    services.onboarding_apply(upload_id=upload.pk)
    world.school.refresh_from_db()
    assert (world.school.phone, world.school.inn, world.school.kind, world.school.version) == (
        "+7 3822 111111", GOOD_INN, "school", 2
    )  # fmt: skip
    latest = Organization.history.filter(id=world.school.pk).latest("history_date")
    assert (
        latest.history_type == "~" and latest.history_user == world.staff and latest.phone == "+7 3822 111111"
    )


def test_a_deactivated_account_is_refused(world):
    world.observer.email = "obs@example.org"
    world.observer.is_active = False
    world.observer.save()
    data = workbook(people=[{"email": "obs@example.org", "organization": "СОШ № 1", "role": "координатор"}])
    _upload, plan = _preview(world.staff, data)
    assert plan.people[0].reasons == ["учётная запись с этим e-mail отключена; сначала включите её"]


def test_template_has_both_sheets_with_hints():
    book = load_workbook(io.BytesIO(services.onboarding_template()))
    assert book.sheetnames == ["Организации", "Сотрудники"]
    headers = [cell.value for cell in book["Организации"][1]]
    assert headers == ORG_HEADERS
    assert "общеобразовательная организация" in book["Организации"]["D1"].comment.text
    assert [cell.value for cell in book["Сотрудники"][1]] == PERSON_HEADERS


def test_the_apply_task_sends_a_refused_file_back_to_its_preview_with_the_reason(world, district):
    from organizations.tasks import apply_onboarding_upload

    upload, _plan = _preview(world.staff, _new_district_file())
    services.onboarding_confirm(actor=world.staff, token=upload.token)
    Municipality.objects.filter(pk=district.pk).delete()  # changed since the preview
    before = _counts()
    apply_onboarding_upload.delay(upload.pk)
    upload.refresh_from_db()
    assert upload.status == "ready" and "Ничего не записано" in upload.result
    assert _counts() == before


def test_the_apply_task_writes_a_confirmed_file_once(world, district, django_capture_on_commit_callbacks):
    from organizations.tasks import apply_onboarding_upload

    upload, _plan = _preview(world.staff, _new_district_file())
    with django_capture_on_commit_callbacks(execute=True):
        services.onboarding_confirm(actor=world.staff, token=upload.token)
    upload.refresh_from_db()
    assert upload.status == "applied" and upload.result.startswith("Организаций добавлено: 3")
    assert apply_onboarding_upload.delay(upload.pk).get() == services.ALREADY_APPLIED
    assert Organization.objects.filter(short_name="Зональная СОШ").count() == 1
    upload.refresh_from_db()
    assert upload.status == "applied"


def test_a_column_left_out_of_the_file_changes_nothing_a_blank_cell_clears(world):
    world.school.phone = "+7 3822 000000"
    world.school.address = "ул. Ленина, 1"
    world.school.save()
    book = Workbook()
    sheet = book.active
    sheet.title = "Организации"
    sheet.append(["Код в портале", "Полное наименование", "Адрес"])
    sheet.append([world.school.pk, world.school.full_name, None])
    buffer = io.BytesIO()
    book.save(buffer)
    _upload, plan = _preview(world.staff, buffer.getvalue())
    [row] = plan.organizations
    assert (row.status, row.changes) == (UPDATE, ["Адрес"])  # the phone, not in the file, stays


def test_one_person_named_twice_for_one_organisation_by_name_and_by_code_is_refused(world):
    data = workbook(people=[
        {"full_name": "Орлова", "email": "o@example.org", "organization": "СОШ № 1", "role": "координатор"},
        {"full_name": "Орлова", "email": "O@example.org", "organization": str(world.school.pk), "role": "координатор"},
        {"full_name": "Орлова", "email": "o@example.org", "organization": "СОШ № 2", "role": "координатор"},
    ])  # fmt: skip
    _upload, plan = _preview(world.staff, data)
    duplicate = "e-mail повторяется в файле для этой организации (строки 2 и 3)"
    assert [row.reasons for row in plan.people] == [[duplicate], [duplicate], []]
