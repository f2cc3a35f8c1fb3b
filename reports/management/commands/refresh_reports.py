import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from customers import behaviour
from reports import rollups


class Command(BaseCommand):
    help = (
        "Write buffered behaviour events, then rebuild the reports' daily rollups for the last "
        "N days (default 2) or from --since to today, every customer's paid-order summary and "
        "today's catalog counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)
        parser.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--no-flush", action="store_true", help="leave the buffer alone")

    def handle(self, *args, days: int, since, no_flush: bool, **options):
        started = time.monotonic()
        if not no_flush:
            self.stdout.write(f"Wrote {behaviour.events_flush()} buffered events.")
        today = timezone.localdate()
        if since is not None:
            days = (today - since).days + 1
        if days < 1:
            raise CommandError("Nothing to rebuild: --days must be at least 1.")
        rollups.rollups_refresh(days=days, until=today, all_customers=True)
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt {days} days in {time.monotonic() - started:.1f} s.")
        )
