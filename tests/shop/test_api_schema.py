from django.core.management import call_command


def test_openapi_schema_is_valid_and_documents_parts_and_account(tmp_path):
    schema = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    text = schema.read_text()
    for path in ("/api/v1/parts/", "/api/v1/parts/lookup/", "/api/v1/account/coupons/"):
        assert f"  {path}:" in text, path
    assert "/api/v1/account/" in text
