import pytest


@pytest.mark.django_db
def test_unknown_address_gets_the_store_404_page_with_search(client):
    response = client.get("/no/such/page/", secure=True)

    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'action="/search/"' in html
    assert 'content="noindex"' in html


def test_server_error_page_needs_no_database_or_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})

    assert "Something went wrong" in html
