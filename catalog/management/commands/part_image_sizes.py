"""Make the listing and part page sizes of stored part pictures (those stored before the
part page's large size existed, or all of them with --all)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import PartImage
from catalog.services import part_image_variants_make


class Command(BaseCommand):
    help = "Make the thumbnail and large size of part pictures that lack them (--all: every one)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every picture's sizes.")

    def handle(self, *args, **options):
        images = PartImage.objects.order_by("pk")
        if not options["all"]:
            images = images.filter(large="")
        made = failed = 0
        for image in images.iterator(chunk_size=200):
            try:
                with transaction.atomic():
                    part_image_variants_make(image=image)
                made += 1
            except (ValidationError, OSError) as error:
                failed += 1
                self.stderr.write(f"Picture {image.pk} ({image.image.name}): {error}")
        self.stdout.write(f"Made the sizes of {made} pictures; {failed} could not be read.")
