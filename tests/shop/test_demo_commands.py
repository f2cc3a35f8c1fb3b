import pytest
from django.core.management import call_command

from customers.models import TopUpBonusTier
from promotions.models import CouponDefinition

pytestmark = pytest.mark.django_db


def test_demo_offers_are_created_once():
    call_command("load_demo_offers")
    call_command("load_demo_offers")

    assert CouponDefinition.objects.filter(is_first_order_coupon=True).count() == 1
    assert TopUpBonusTier.objects.count() == 3


def test_demo_staff_account_is_created_once_and_can_sign_in(settings, tmp_path, capsys):
    from django.contrib.auth import get_user_model

    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_staff")
    call_command("ensure_demo_staff")

    printed = capsys.readouterr().out.splitlines()
    password = printed[-1].split("password ")[1].split()[0]
    assert printed[0] == printed[-1]
    user = get_user_model().objects.get(email="staff@partline.example")
    assert user.is_staff and user.check_password(password)
