"""Part numbers one or two typos away, on every database the store runs on.

PostgreSQL answers with pg_trgm (the trigram GIN index on ``normalized_mpn``). SQLite, the
embedded default that ``make run`` serves, answers from an FTS5 table with the trigram
tokenizer (``catalog_part_mpn_trigram``, kept in step with ``catalog_part`` by triggers that
``sqlite_trigram_index_ensure`` puts in place after every migrate, because SQLite drops a
table's triggers whenever a migration rebuilds it): it finds the part numbers sharing the
most trigrams with the query, and the similarity is then computed as pg_trgm computes it, so
both databases suggest the same parts.
"""

from __future__ import annotations

from django.db import DatabaseError, connection

from .db import TrigramSimilar, TrigramSimilarity
from .models import Part

MIN_SIMILARITY = 0.35
# Suggestions much further from the query than the closest one are other parts, not typos.
MAX_BEHIND_BEST = 0.2
MIN_LENGTH = 4
SQLITE_TABLE = "catalog_part_mpn_trigram"
# Trigram hits read from FTS5 before similarity is computed in Python.
SQLITE_CANDIDATES = 200


_TRIGGERS = {
    f"{SQLITE_TABLE}_insert": f"""CREATE TRIGGER {SQLITE_TABLE}_insert AFTER INSERT ON catalog_part
        BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, normalized_mpn) VALUES (new.id, new.normalized_mpn);
        END""",
    f"{SQLITE_TABLE}_delete": f"""CREATE TRIGGER {SQLITE_TABLE}_delete AFTER DELETE ON catalog_part
        BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, normalized_mpn)
        VALUES ('delete', old.id, old.normalized_mpn);
        END""",
    f"{SQLITE_TABLE}_update": f"""CREATE TRIGGER {SQLITE_TABLE}_update
        AFTER UPDATE OF normalized_mpn ON catalog_part BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, normalized_mpn)
        VALUES ('delete', old.id, old.normalized_mpn);
        INSERT INTO {SQLITE_TABLE}(rowid, normalized_mpn) VALUES (new.id, new.normalized_mpn);
        END""",
}


def sqlite_trigram_index_ensure(db) -> bool:
    """On SQLite, create the FTS5 trigram index of part numbers and its triggers where they are
    missing, and rebuild it from ``catalog_part`` when any was. Returns whether it rebuilt.
    Does nothing elsewhere, or where SQLite lacks FTS5 (search then suggests nothing)."""
    if db.vendor != "sqlite":
        return False
    with db.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'catalog_part'")
        if cursor.fetchone() is None:
            return False
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{SQLITE_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in _TRIGGERS if name not in present]
        if SQLITE_TABLE in present and not missing:
            return False
        try:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(normalized_mpn, "
                "content='catalog_part', content_rowid='id', tokenize='trigram')"
            )
        except DatabaseError:
            return False
        for name in missing:
            cursor.execute(_TRIGGERS[name])
        cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')")
    return True


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower case, two spaces before and one after."""
    padded = f"  {text.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def similar_part_numbers(
    normalized: str, *, limit: int = 8, min_similarity: float = MIN_SIMILARITY
) -> list[Part]:
    """Parts whose normalized MPN is most like ``normalized``, most similar first."""
    if len(normalized) < MIN_LENGTH:
        return []
    if connection.vendor == "postgresql":
        found = list(
            Part.objects.select_related("manufacturer", "stock")
            .filter(TrigramSimilar("normalized_mpn", normalized))
            .annotate(similarity=TrigramSimilarity("normalized_mpn", normalized))
            .filter(similarity__gte=min_similarity)
            .order_by("-similarity", "normalized_mpn")[:limit]
        )
    elif connection.vendor == "sqlite":
        found = _sqlite_similar(normalized, limit=limit, min_similarity=min_similarity)
    else:
        return []
    if not found:
        return []
    best = found[0].similarity
    return [part for part in found if part.similarity >= best - MAX_BEHIND_BEST]


def _sqlite_similar(normalized: str, *, limit: int, min_similarity: float) -> list[Part]:
    inner = sorted({normalized[i : i + 3] for i in range(len(normalized) - 2)})
    if not inner:
        return []
    match = " OR ".join(f'"{gram}"' for gram in inner)  # letters and digits only
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, normalized_mpn FROM {SQLITE_TABLE} "
                f"WHERE {SQLITE_TABLE} MATCH %s ORDER BY rank LIMIT %s",
                [match, SQLITE_CANDIDATES],
            )
            rows = cursor.fetchall()
    except DatabaseError:  # an SQLite built without FTS5: no suggestions, no error page
        return []
    scored = sorted(
        ((similarity(mpn, normalized), mpn, pk) for pk, mpn in rows),
        key=lambda row: (-row[0], row[1]),
    )
    best = [(score, pk) for score, _, pk in scored if score >= min_similarity][:limit]
    parts = Part.objects.select_related("manufacturer", "stock").in_bulk([pk for _, pk in best])
    for score, pk in best:
        if pk in parts:
            parts[pk].similarity = score
    return [parts[pk] for _, pk in best if pk in parts]
