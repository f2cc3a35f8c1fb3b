"""The arithmetic of a fair draw: outcomes follow the published odds, and a draw can be
recomputed from the seed and its public id."""

import hashlib
import hmac
import math

from promotions import fairness

SEED = "5f" * 32
ODDS = [[1, 10_000], [2, 50_000], [3, 200_000]]  # 1 %, 5 %, 20 %, no prize 74 %
DRAWS = 100_000


def test_100000_draws_match_the_published_odds_within_4_sigma_per_prize():
    counts = {1: 0, 2: 0, 3: 0, None: 0}
    for i in range(DRAWS):
        counts[fairness.pick(fairness.roll(SEED, f"D{i:012d}"), ODDS)] += 1

    expected = {1: 0.01, 2: 0.05, 3: 0.20, None: 0.74}
    for prize, p in expected.items():
        sigma = math.sqrt(DRAWS * p * (1 - p))
        assert abs(counts[prize] - DRAWS * p) <= 4 * sigma, (prize, counts[prize], DRAWS * p)


def test_the_chi_square_of_100000_draws_is_below_the_999th_percentile():
    counts = [0, 0, 0, 0]
    index = {1: 0, 2: 1, 3: 2, None: 3}
    for i in range(DRAWS):
        counts[index[fairness.pick(fairness.roll(SEED, f"X{i}"), ODDS)]] += 1

    expected = [DRAWS * p for p in (0.01, 0.05, 0.20, 0.74)]
    chi2 = sum((o - e) ** 2 / e for o, e in zip(counts, expected, strict=True))
    assert chi2 < 16.27  # 3 degrees of freedom, p = 0.001


def test_a_roll_is_the_hmac_of_the_public_id_under_the_seed():
    digest = hmac.new(bytes.fromhex(SEED), b"D0001", hashlib.sha256).digest()

    assert fairness.roll(SEED, "D0001") == int.from_bytes(digest[:8], "big") % 1_000_000


def test_a_roll_past_every_prize_is_no_prize_and_edges_fall_to_the_next_prize():
    assert fairness.pick(9_999, ODDS) == 1
    assert fairness.pick(10_000, ODDS) == 2
    assert fairness.pick(259_999, ODDS) == 3
    assert fairness.pick(260_000, ODDS) is None


def test_the_commitment_is_the_sha256_of_the_seed_bytes():
    assert fairness.seed_commitment(SEED) == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()
