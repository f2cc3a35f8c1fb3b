import pytest

from catalog.models import SearchLog

pytestmark = pytest.mark.django_db


def test_admin_lists_the_most_searched_queries_that_found_nothing(admin_client):
    for query, count in (("LM358X", 0), ("lm358x", 0), ("NE555P", 3), ("XC6206", 0)):
        SearchLog.objects.create(
            query=query, normalized=query.upper(), kind="part_number", result_count=count
        )

    response = admin_client.get("/admin/catalog/searchlog/", secure=True)
    html = response.content.decode()
    report = html[html.index('id="zero-result-queries"') : html.index("All searches")].upper()

    assert response.status_code == 200
    assert report.index("LM358X") < report.index("XC6206")
    assert "<TD>2</TD>" in report
    assert "NE555P" not in report
