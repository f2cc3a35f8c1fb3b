"""Check that every account's cached balance and points equal the sums of their ledgers."""

from django.core.management.base import BaseCommand, CommandError

from customers.services import ledger_mismatches


class Command(BaseCommand):
    help = "Compare each customer's cached balance and points with the sum of their ledger."

    def handle(self, *args, **options):
        problems = ledger_mismatches()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger mismatch(es) found.")
        self.stdout.write(self.style.SUCCESS("All balances and points match their ledgers."))
