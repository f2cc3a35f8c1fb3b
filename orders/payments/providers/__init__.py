"""Registry of online payment providers, keyed by name.

``settings.ORDERS_PAYMENT_PROVIDERS`` maps a name to the dotted path of a ``Provider``
class; ``settings.ORDERS_GATEWAY_PROVIDER`` names the one new online payments use.
Notifications are accepted only for names in the registry.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import InvalidNotification, Notification, Provider, ProviderError

__all__ = [
    "InvalidNotification",
    "Notification",
    "Provider",
    "ProviderError",
    "active_provider",
    "get_provider",
    "provider_names",
]


def provider_names() -> list[str]:
    return list(settings.ORDERS_PAYMENT_PROVIDERS)


@cache
def _load(name: str, path: str) -> Provider:
    provider = import_string(path)()
    provider.name = name
    return provider


def get_provider(name: str) -> Provider | None:
    """The registered provider called ``name``, or None."""
    path = settings.ORDERS_PAYMENT_PROVIDERS.get(name)
    return _load(name, path) if path else None


def active_provider() -> Provider | None:
    """The provider new online payments go to; None when online payment is off."""
    return get_provider(settings.ORDERS_GATEWAY_PROVIDER or "")
