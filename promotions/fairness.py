"""The arithmetic of a provably fair draw, in the standard library only.

A campaign commits to a secret seed by publishing ``seed_commitment(seed)`` (SHA-256 of the
seed's bytes) when it starts. A draw's roll is HMAC-SHA256(seed, public id), its first eight
bytes read as a big-endian number, modulo one million: a number in [0, 1 000 000). The prize
is the first one whose cumulative odds (parts per million, in the order recorded on the
draw) exceed the roll; a roll past them all is "no prize". docs/lucky-draws.md repeats this
for anyone checking the revealed seed.
"""

import hashlib
import hmac
import secrets

PPM = 1_000_000


def seed_new() -> str:
    return secrets.token_hex(32)


def seed_commitment(seed_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def roll(seed_hex: str, public_id: str) -> int:
    digest = hmac.new(bytes.fromhex(seed_hex), public_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % PPM


def pick(roll_value: int, odds) -> int | None:
    """The prize id ``roll_value`` lands on in ``odds`` ([prize id, ppm] pairs), or None."""
    cumulative = 0
    for prize_id, ppm in odds:
        cumulative += ppm
        if roll_value < cumulative:
            return prize_id
    return None
