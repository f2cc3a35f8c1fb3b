"""Publish the outbox rows the broker could not take when they were written."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from shop.outbox import outbox_prune, outbox_relay


class Command(BaseCommand):
    help = (
        "Publish pending outbox rows to Celery, oldest first. With --loop, keep doing it "
        "(the relay process beside the workers; it needs no beat and no broker to start)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="run until stopped")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between idle passes (--loop)"
        )
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *, loop: bool, interval: float, batch_size: int | None, **options):
        if not loop:
            result = outbox_relay(batch_size=batch_size)
            outbox_prune()
            self.stdout.write(
                f"published {result.published}, failed {result.failed}"
                + (" (broker unreachable)" if result.broker_down else "")
            )
            return
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        self.stdout.write("relaying the outbox; stop with SIGTERM")
        last_prune = 0.0
        while not stopping:
            close_old_connections()
            try:
                result = outbox_relay(batch_size=batch_size)
                if time.monotonic() - last_prune > 3600:
                    outbox_prune()
                    last_prune = time.monotonic()
            except DatabaseError as error:  # the database is back soon, or the deploy is
                self.stderr.write(f"outbox relay: database unavailable: {error!r}")
                result = None
            if result is not None and result.published and not result.broker_down:
                continue  # more may be waiting
            time.sleep(interval)
