"""The report pages in the admin: staff only, charts from our own static files, exports."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from customers import behaviour
from customers.models import CustomerProfile, EventKind
from reports.models import TrafficDaily
from reports.views import PAGES
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URLS = ["/admin/reports/"] + [f"/admin/reports/{slug}/" for slug in PAGES]


@pytest.fixture
def staff_client(client):
    client.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("url", URLS)
def test_a_customer_is_refused_the_reports(client, url):
    client.force_login(CustomerFactory())

    response = client.get(url, secure=True)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_customer_cannot_rebuild_the_rollups(client):
    client.force_login(CustomerFactory())

    response = client.post("/admin/reports/refresh/", secure=True)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", URLS)
def test_staff_read_every_report(staff_client, url):
    response = staff_client.get(url, secure=True)

    assert response.status_code == 200


def test_charts_load_from_the_stores_own_static_files_with_the_pages_nonce(staff_client):
    response = staff_client.get("/admin/reports/funnel/", secure=True)
    html = response.content.decode()
    nonce = response.wsgi_request.csp_nonce

    assert f'src="/static/vendor/chartjs/chart.umd.min.js" nonce="{nonce}"' in html
    assert f'src="/static/reports/charts.js" nonce="{nonce}"' in html
    assert "cdn" not in html.lower()
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert 'data-chart="report-chart-1"' in html
    assert '<script id="report-chart-1" type="application/json">' in html


@pytest.fixture
def formula_company():
    customer = CustomerFactory(email="eve@example.com")
    CustomerProfile.objects.filter(user=customer).update(company_name="=cmd|' /C calc'!A0")
    from tests.factories import PartFactory
    from tests.reports.helpers import paid_order, refresh

    paid_order(customer, [(PartFactory(), 10, "10.00", 10)], paid_on=date(2026, 3, 2))
    refresh(date(2026, 3, 2))


def test_csv_export_neutralizes_formula_looking_cells(staff_client, formula_company):
    response = staff_client.get(
        "/admin/reports/customers/?start=2026-03-01&end=2026-03-31&export=csv", secure=True
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Disposition"] == (
        'attachment; filename="customers-20260301-20260331.csv"'
    )
    assert ["eve@example.com", "'=cmd|' /C calc'!A0", "1", "10.00", "10.00", ""] in rows


def test_xlsx_export_has_a_sheet_per_table_and_neutralizes_formulas(
    staff_client, formula_company
):
    response = staff_client.get(
        "/admin/reports/customers/?start=2026-03-01&end=2026-03-31&export=xlsx", secure=True
    )
    book = load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["1 Customers", "2 Top customers by revenue"]
    top = list(book["2 Top customers by revenue"].iter_rows(values_only=True))
    assert top[1][:4] == ("eve@example.com", "'=cmd|' /C calc'!A0", 1, 10)


def test_refresh_command_writes_the_buffer_and_rebuilds_today():
    behaviour.event_record(kind=EventKind.PART_VIEW, visitor_id="abc", part_id=1)

    call_command("refresh_reports", days=1, stdout=io.StringIO())

    today = TrafficDaily.objects.get(day=timezone.localdate())
    assert (today.visitors, today.part_viewers) == (0, 1)  # buffered without a request


def test_refresh_button_rebuilds_and_returns_to_the_report(staff_client):
    behaviour.event_record(kind=EventKind.SEARCH, visitor_id="abc", query="X", result_count=0)

    response = staff_client.post(
        "/admin/reports/refresh/", {"next": "/admin/reports/funnel/"}, secure=True
    )

    assert response["Location"] == "/admin/reports/funnel/"
    assert TrafficDaily.objects.get(day=timezone.localdate()).zero_result_searches == 1
