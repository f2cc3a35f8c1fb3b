"""Create (once) the demo store's staff account and print how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "staff@partline.example"


class Command(BaseCommand):
    help = "Create the demo staff account if missing and print its credentials."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "demo_staff_password"
        User = get_user_model()
        user = User.objects.filter(email=DEMO_USERNAME).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(email=DEMO_USERNAME)
            user.is_staff = True
            user.is_superuser = True
            user.set_password(password)
            user.save()
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        self.stdout.write(
            f"Demo staff account: email {DEMO_USERNAME}  password {password}  (/admin/)"
        )
