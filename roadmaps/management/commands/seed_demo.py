import time

from django.core.management.base import BaseCommand

from roadmaps.demo.bench import BENCH_PASSWORD, load_bench
from roadmaps.demo.national import KNOWN_LOGINS, NATIONAL_PASSWORD, load_national
from roadmaps.demo.small import DEMO_PASSWORD, DEMO_USERS, load_small


class Command(BaseCommand):
    help = "Загружает демонстрационные данные портала (small) или набор для замеров (bench)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=["small", "bench", "national"], default="small")
        parser.add_argument(
            "--force",
            action="store_true",
            help="national: очистить заполняемые таблицы, если в них уже есть данные",
        )

    def handle(self, *args, scale: str, **options) -> None:
        started = time.perf_counter()
        if scale == "national":
            counts = load_national(force=options["force"], progress=lambda line: self.stdout.write(line))
            seconds = time.perf_counter() - started
            summary = ", ".join(f"{name} {count}" for name, count in counts.items())
            self.stdout.write(f"seed_demo national: {seconds:.1f} s; {summary}")
            self.stdout.write(f"logins: {' / '.join(KNOWN_LOGINS)}, password {NATIONAL_PASSWORD}")
            return
        if scale == "bench":
            counts = load_bench(progress=lambda line: self.stdout.write(line))
            seconds = time.perf_counter() - started
            summary = ", ".join(f"{name} {count}" for name, count in counts.items())
            self.stdout.write(f"seed_demo bench: {seconds:.1f} s; {summary}")
            self.stdout.write(f"logins: bench_staff / bench_coordinator, password {BENCH_PASSWORD}")
            return
        created = load_small()
        self.stdout.write("Демо-данные загружены." if created else "Демо-данные уже загружены.")
        self.stdout.write(f"Входы (пароль у всех: {DEMO_PASSWORD}):")
        self.stdout.write("  admin — администратор портала")
        for username, (_first, _last, role) in DEMO_USERS.items():
            self.stdout.write(f"  {username} — {role.label}")
