"""``manage.py import_catalog FILE [--kind catalog|price_stock] [--report PATH]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.imports import ImportFileError, import_catalog_file
from catalog.models import ImportKind


class Command(BaseCommand):
    help = (
        "Import a catalog CSV file or a price-and-stock feed (format: docs/catalog-import.md). "
        "Rejected rows are listed in a CSV report next to the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.CATALOG.value,
            help="catalog (the default) or price_stock",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="where to write rejected rows (default: FILE.rejects.csv beside the file)",
        )

    def handle(self, *args, file: Path, kind: str, report: Path | None, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        report = report or file.with_name(f"{file.stem}.rejects.csv")
        verbose = options["verbosity"] >= 2

        def progress(rows: int) -> None:
            if verbose:
                self.stdout.write(f"{rows} rows read")

        try:
            result = import_catalog_file(
                path=file, kind=kind, report_path=report, progress=progress
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.rows_total} rows: {result.created} parts created, "
            f"{result.updated} updated, {result.rejected} rejected."
        )
        if result.report_path is not None:
            self.stdout.write(f"Rejected rows: {result.report_path}")
