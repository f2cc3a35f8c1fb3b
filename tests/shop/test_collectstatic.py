"""The static files collect as `make run` and a deployment collect them (hashed, compressed):
a vendored file that names a missing file (a source map, say) would stop `make run`."""

import io

from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())

    assert (tmp_path / "static" / "staticfiles.json").exists()
