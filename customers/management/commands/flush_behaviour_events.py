from django.core.management.base import BaseCommand

from customers import behaviour


class Command(BaseCommand):
    help = "Write buffered behaviour events to the database (what the beat job does each minute)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune", action="store_true", help="also delete events past retention"
        )

    def handle(self, *args, prune: bool, **options):
        written = behaviour.events_flush()
        self.stdout.write(f"Wrote {written} buffered behaviour events.")
        if prune:
            self.stdout.write(f"Deleted {behaviour.events_prune()} events past retention.")
