"""Short references read over the phone and typed into a bank transfer: no 0/O, 1/I/L."""

import secrets

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference(prefix: str, length: int = 7) -> str:
    """A random reference such as ``SO-7KQ2M9X``: 31⁷ ≈ 27 billion, not guessable in sequence."""
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
