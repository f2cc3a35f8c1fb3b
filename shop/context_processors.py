from django.conf import settings


def store(request):
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "SITE_URL": settings.SITE_URL,
        "SHOP_CURRENCY": settings.SHOP_CURRENCY,
        "SHOP_VAT_RATE": settings.SHOP_VAT_RATE,
    }
