import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

django_application = get_wsgi_application()

from shop.kept_pages import KeptPartPages  # noqa: E402 - needs the apps loaded just above

application = KeptPartPages(django_application)
