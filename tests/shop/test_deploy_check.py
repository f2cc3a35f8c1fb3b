import subprocess
import sys

from tests.shop.helpers import ROOT, clean_env


def test_check_deploy_reports_nothing_with_debug_off(tmp_path):
    env = clean_env(
        tmp_path,
        SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        ALLOWED_HOSTS="shop.example.com",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
