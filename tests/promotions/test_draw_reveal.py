"""The reveal page of a finished campaign: its seed, every draw, and the check script of
docs/lucky-draws.md recomputing every outcome from them."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from promotions import draws
from promotions.draw_models import Draw
from tests.promotions.draw_helpers import campaign, earn, end

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "lucky-draws.md"


def _script(tmp_path) -> Path:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    path = tmp_path / "check_draws.py"
    path.write_text(code, encoding="utf-8")
    return path


def _check(tmp_path, data) -> subprocess.CompletedProcess:
    reveal = tmp_path / "reveal.json"
    reveal.write_text(json.dumps(data), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", str(_script(tmp_path)), str(reveal)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def finished(customer):
    """A campaign of 30 draws in which one prize ran out midway, then ended."""
    c = campaign(prizes=[("Rare", "20", 2), ("Common", "30", 100)], no_prize="50")
    for n in range(30):
        earn(customer, f"SO-{n}")
    for draw in Draw.objects.order_by("pk"):
        draws.draw_play(customer=customer, public_id=draw.public_id)
    return end(c)


def test_the_check_script_recomputes_every_draw_of_the_reveal_page(client, finished, tmp_path):
    answer = client.get(f"/draws/{finished.slug}/reveal/?format=json")

    result = _check(tmp_path, answer.json())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "30 draws checked, 0 problems" in result.stdout


def test_the_check_script_reads_the_api_answer_too(client, finished, tmp_path):
    data = client.get(f"/api/v1/draws/{finished.slug}/reveal/").json()

    assert _check(tmp_path, data).returncode == 0


def test_the_check_script_catches_an_outcome_that_does_not_follow_from_the_seed(
    client, finished, tmp_path
):
    data = client.get(f"/draws/{finished.slug}/reveal/?format=json").json()
    losing = next(d for d in data["draws"] if d["prize_id"] is None)
    losing["prize_id"] = int(next(iter(data["prizes"])))

    result = _check(tmp_path, data)

    assert result.returncode == 1
    assert f"MISMATCH {losing['public_id']}" in result.stdout


def test_the_check_script_catches_a_seed_other_than_the_one_committed(
    client, finished, tmp_path
):
    data = client.get(f"/draws/{finished.slug}/reveal/?format=json").json()
    data["seed_sha256"] = "0" * 64

    assert _check(tmp_path, data).returncode == 1


def test_the_reveal_page_lists_every_draw_with_its_roll(client, finished):
    page = client.get(f"/draws/{finished.slug}/reveal/").content.decode()

    assert finished.seed in page
    for draw in Draw.objects.all():
        assert draw.public_id in page
        assert f">{draw.roll}<" in page


def test_before_the_end_the_seed_is_secret_and_only_its_sha256_is_shown(client, customer):
    c = campaign(prizes=[("Rare", "20", 2)], no_prize="80")

    page = client.get(f"/draws/{c.slug}/").content.decode()
    reveal = client.get(f"/draws/{c.slug}/reveal/")

    assert c.seed_commitment in page
    assert c.seed not in page
    assert c.seed not in reveal.content.decode()
    assert client.get(f"/draws/{c.slug}/reveal/?format=json").status_code == 404
    assert client.get(f"/api/v1/draws/{c.slug}/reveal/").status_code == 404
