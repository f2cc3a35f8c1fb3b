"""Part search: part numbers in any spelling, engineering values, and keywords.

A query is read in three ways, cheapest first:

1. Part number. The query is normalized (upper case, letters and digits only) with common
   packaging and distributor suffixes ("-TR", "/TR", "#PBF", "-ND", "CT-ND") tried off.
   One exact match goes straight to the part; otherwise parts whose MPN starts with or
   contains it are listed. With nothing found, PostgreSQL trigram similarity offers
   "did you mean" part numbers for one or two typos.
2. Values. "10k 0603 1%" or "100nF 50V X7R 0402" is split into values with units, which
   become parameter filters (SI numbers, so 100nF = 0.1µF), and words that name a package,
   a parameter value such as X7R, a manufacturer or its alias, or a category.
3. Keywords. What is left is matched against descriptions (PostgreSQL full text).

Results are ranked by relevance (``ranked`` + ``relevance_page``) on a bounded candidate set:
part numbers exact first, then MPNs starting with the query, then containing it, shorter
MPNs first, in stock before out of stock; values and keywords in stock first, most stock
first. At most ``CANDIDATE_CAP`` candidates are ranked (fetched with LIMIT, ranked in
Python, facets counted from them), so a query matching 400,000 parts never sorts or counts
them all: the page says "2,000+ results" instead.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import translation
from django.utils.translation import gettext as _

from . import chinese, fuzzy, listing, refreshing
from .db import DescriptionMatches, prefix_mpn_lookups
from .models import (
    VOCABULARY_CACHE_KEY,
    Category,
    Manufacturer,
    ManufacturerAlias,
    ParameterDefinition,
    ParameterKind,
    ParameterValue,
    Part,
    RoHS,
    SearchKind,
    SearchLog,
    ValueMatch,
    mpn_slug,
    name_for_language,
    normalize_mpn,
    normalize_name,
)
from .values import ParsedValue, split_value_tokens

MAX_QUERY_LENGTH = 200
MAX_TOKENS = 12
MIN_CONTAINS_LENGTH = 3
VOCABULARY_CACHE_SECONDS = 600
# Most candidates ranked per query; beyond it the count reads "N+ results".
CANDIDATE_CAP = 1000
SUGGEST_CANDIDATES = 200
# Distributor and packaging suffixes that are not part of the manufacturer's number.
PACKAGING_SUFFIXES = (
    "CT-ND",
    "TR-ND",
    "DKR-ND",
    "-ND",
    "-TR",
    "/TR",
    "#TR",
    "#PBF",
    "#TRPBF",
    "-REEL",
    "/REEL",
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[0-9A-Za-zµμΩ]+")
# "10UF", "100NF", "4.7UF", "22PF", "4U7": upper-case micro/nano/pico, as typed in caps.
_UPPER_PREFIX = re.compile(r"^([0-9]*[.,]?[0-9]*)([UNP])([0-9]*)([A-Z]{0,2})$")


def clean_query(raw: str | None) -> str:
    """What we search for: control characters gone, spaces collapsed, length capped."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def fix_prefix_case(query: str) -> str:
    """Read "10UF" as "10uF" and "100NF" as "100nF": U, N and P are not SI prefixes, but
    engineers type values in capitals. Only words that parse as a value once fixed change."""
    words = []
    for word in query.split():
        match = _UPPER_PREFIX.match(word)
        if match and any(c.isdigit() for c in word) and not split_value_tokens(word)[0]:
            number, prefix, rkm, unit = match.groups()
            fixed = number + prefix.lower() + rkm + unit
            if split_value_tokens(fixed)[0]:
                word = fixed
        words.append(word)
    return " ".join(words)


def mpn_candidates(query: str) -> list[str]:
    """Normalized forms of a part number, with distributor/packaging suffixes tried off."""
    candidates = [normalize_mpn(query)]
    upper = query.upper().replace(" ", "")
    for suffix in PACKAGING_SUFFIXES:
        if upper.endswith(suffix) and len(upper) > len(suffix) + 2:
            candidates.append(normalize_mpn(upper[: -len(suffix)]))
    return [c for i, c in enumerate(candidates) if c and c not in candidates[:i]]


def looks_like_part_number(token: str) -> bool:
    return bool(_HAS_DIGIT.search(token) and _HAS_LETTER.search(token)) and len(token) >= 3


@dataclass
class Chip:
    """A filter the query was understood as, shown above the results; removable."""

    label: str
    token: str
    remove_url: str = ""
    # The end of the label that is part data (a maker, package or part number), shown as is.
    data: str = ""
    # A value chip: the parameters it may mean and how it reads ("≥ 25V"), so the label can
    # name the one meant in the category the results fall in (see label_value_chips).
    definition_ids: list[int] = field(default_factory=list)
    value_text: str = ""

    @property
    def wording(self) -> str:
        """The label before its part data: the interface words, in the visitor's language."""
        if self.data and self.label.endswith(self.data):
            return self.label[: -len(self.data)]
        return self.label

    @property
    def data_shown(self) -> str:
        return self.data if self.data and self.label.endswith(self.data) else ""


@dataclass
class SearchOutcome:
    query: str
    kind: str
    parts: QuerySet[Part] | None = None
    exact_part: Part | None = None
    chips: list[Chip] = field(default_factory=list)
    did_you_mean: list[Part] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # Normalized part numbers the query was read as (for ranking partial matches).
    mpn_terms: list[str] = field(default_factory=list)
    # Candidate rows of `parts` already fetched while reading the query (see ranked()).
    fetched: list[tuple] | None = None


# --- Vocabulary: names the query's words may refer to -------------------------------------


@dataclass
class Vocabulary:
    manufacturers: dict[str, int]
    manufacturer_names: dict[int, str]
    categories: dict[str, list[int]]
    # id -> (name, Chinese name): labels are written in the language of the page asking.
    category_names: dict[int, tuple[str, str]]
    packages: dict[str, str]
    choice_values: dict[str, str]
    units: dict[str, list[int]]
    definition_names: dict[int, tuple[str, str]]
    # definition id -> (ValueMatch, category id, category path)
    definitions: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    # Chinese words the vocabulary knows, for cutting Chinese queries into words.
    chinese_words: frozenset[str] = frozenset()

    def category_name(self, pk: int) -> str:
        return name_for_language(*self.category_names[pk])

    def definition_name(self, pk: int) -> str:
        return name_for_language(*self.definition_names[pk])


def vocabulary() -> Vocabulary:
    """Manufacturers, aliases, category words, packages and parameter vocab; cached, and
    rebuilt in the background when stale (catalog/refreshing.py)."""
    return refreshing.cached(
        VOCABULARY_CACHE_KEY, build_vocabulary, fresh_seconds=VOCABULARY_CACHE_SECONDS
    )


def refresh_vocabulary() -> Vocabulary:
    """Rebuild the vocabulary now (beat job; a change the next search must see)."""
    return refreshing.refresh(
        VOCABULARY_CACHE_KEY, build_vocabulary, fresh_seconds=VOCABULARY_CACHE_SECONDS
    )


def build_vocabulary() -> Vocabulary:
    manufacturers: dict[str, int] = {}
    names: dict[int, str] = {}
    for pk, name in Manufacturer.objects.values_list("pk", "name"):
        manufacturers[normalize_name(name)] = pk
        names[pk] = name
    for pk, alias in ManufacturerAlias.objects.values_list("manufacturer_id", "name"):
        # Normalized here, not read from the stored column: an alias saved before names in
        # other scripts were understood (a Chinese alias stored as "") still counts.
        if normalized := normalize_name(alias):
            manufacturers.setdefault(normalized, pk)
    categories: dict[str, list[int]] = {}
    category_names: dict[int, tuple[str, str]] = {}
    for pk, name, name_zh, slug in Category.objects.values_list("pk", "name", "name_zh", "slug"):
        category_names[pk] = (name, name_zh)
        words = {normalize_name(name), normalize_name(slug)} | _category_words(name)
        words |= _chinese_category_words(name_zh)
        words |= {normalize_name(w) for w in chinese.CATEGORY_SYNONYMS.get(slug, ())}
        for word in words - {""}:
            categories.setdefault(word, []).append(pk)
    # .order_by() first: the models' default orderings would join DISTINCT and make it a
    # read of every part (a million rows) instead of the hundred packages there are.
    packages = {
        normalize_name(p): p
        for p in Part.objects.exclude(package="")
        .order_by()
        .values_list("package", flat=True)
        .distinct()
    }
    choice_values = {
        normalize_name(text): text
        for text in ParameterValue.objects.filter(definition__kind=ParameterKind.CHOICE)
        .order_by()
        .values_list("text", flat=True)
        .distinct()[:5000]
    }
    units: dict[str, list[int]] = {}
    definition_names: dict[int, tuple[str, str]] = {}
    definitions: dict[int, tuple[str, int, str]] = {}
    # A value typed with a unit means, in each category, the first parameter of that unit
    # (key columns first): "3.3V" is an LDO's output voltage, not its dropout or input limit.
    primary: set[tuple[str, int]] = set()
    for pk, unit, name, name_zh, match, category_id, path in (
        ParameterDefinition.objects.filter(kind=ParameterKind.NUMBER)
        .order_by("category_id", "-is_key", "position", "pk")
        .values_list(
            "pk", "unit", "name", "name_zh", "search_match", "category_id", "category__path"
        )
    ):
        definition_names[pk] = (name, name_zh)
        definitions[pk] = (match, category_id, path)
        if (unit, category_id) not in primary:
            primary.add((unit, category_id))
            units.setdefault(unit, []).append(pk)
    result = Vocabulary(
        manufacturers,
        names,
        categories,
        category_names,
        packages,
        choice_values,
        units,
        definition_names,
        definitions,
        frozenset(
            word
            for word in [*categories, *manufacturers, *chinese.NEUTRAL_WORDS]
            if chinese.has_chinese(word)
        ),
    )
    return result


def _category_words(name: str) -> set[str]:
    """'LDO Regulators' is found by 'LDO', 'regulator' and 'regulators'."""
    words = set()
    for word in _WORD.findall(name):
        if len(word) < 3:
            continue
        normalized = normalize_name(word)
        words.add(normalized)
        if normalized.endswith("S"):
            words.add(normalized[:-1])
        else:
            words.add(normalized + "S")
    return words


_NAME_PIECES = re.compile(r"[()（）/／、,，\s]+|和|及")


def _chinese_category_words(name_zh: str) -> set[str]:
    """'多层陶瓷电容 (MLCC)' is found by the whole name, '多层陶瓷电容' and 'MLCC'; '整流和开关
    二极管' by '整流' and '开关二极管' too."""
    if not name_zh:
        return set()
    return {normalize_name(name_zh)} | {
        normalize_name(piece) for piece in _NAME_PIECES.split(name_zh) if len(piece) >= 2
    }


# --- The three readings -------------------------------------------------------------------


def _base() -> QuerySet[Part]:
    return Part.objects.all()


def _part_number_matches(
    query: str,
) -> tuple[list[Part], QuerySet[Part] | None, list[tuple] | None]:
    """(exact matches, partial-match queryset or None, its fetched candidate rows).

    Whether anything matches partially is answered by fetching the candidates themselves:
    an EXISTS (LIMIT 1) over a LIKE '%…%' makes PostgreSQL walk the MPN B-tree hoping for an
    early hit, a full scan when the matches sit late in it; with LIMIT CANDIDATE_CAP + 1
    it uses the trigram index, and ranked() reuses the rows.
    """
    candidates = mpn_candidates(query)
    exact = list(
        Part.objects.select_related("manufacturer").filter(normalized_mpn__in=candidates)[:20]
    )
    if exact:
        return exact, None, None
    longest = candidates[0]
    partial = Q()
    for candidate in candidates:
        # "Contains" already covers "starts with"; OR-ing both makes a second index scan.
        if len(candidate) >= MIN_CONTAINS_LENGTH:
            partial |= Q(normalized_mpn__contains=candidate)
        else:
            partial |= Q(normalized_mpn__startswith=candidate)
    parts = _base().filter(partial)
    if longest:
        rows = _fetch(parts, CANDIDATE_CAP + 1)
        if rows:
            return [], parts, rows
    return [], None, None


def fuzzy_part_numbers(query: str, *, limit: int = 8) -> list[Part]:
    """Part numbers one or two typos away (pg_trgm on PostgreSQL, FTS5 trigrams on SQLite)."""
    return fuzzy.similar_part_numbers(normalize_mpn(query), limit=limit)


def _keyword_filter(words: list[str]) -> Q:
    """Description words: PostgreSQL full text on the GIN index, or LIKE on SQLite."""
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        return Q(DescriptionMatches("description", " ".join(words)))
    condition = Q()
    for word in words:
        condition &= Q(description__icontains=word)
    return condition


_MATCH_SIGNS = {ValueMatch.EQUAL: "=", ValueMatch.AT_LEAST: "≥", ValueMatch.AT_MOST: "≤"}


def _value_filter(value: ParsedValue, definition_ids: list[int], vocab: Vocabulary) -> Q:
    """Parts with a value of one of these parameters that meets ``value`` as the parameter is
    read: equal (within rounding), at least (a rating) or at most (a tolerance or limit)."""
    tolerance = abs(value.si_value) * 1e-6
    by_match: dict[str, list[int]] = {}
    for pk in definition_ids:
        match = vocab.definitions.get(pk, (ValueMatch.EQUAL,))[0]
        by_match.setdefault(match, []).append(pk)
    bounds = {
        ValueMatch.EQUAL: {
            "si_value__gte": value.si_value - tolerance,
            "si_value__lte": value.si_value + tolerance,
        },
        ValueMatch.AT_LEAST: {"si_value__gte": value.si_value - tolerance},
        ValueMatch.AT_MOST: {"si_value__lte": value.si_value + tolerance},
    }
    condition = Q()
    for match, ids in by_match.items():
        condition |= Q(
            Exists(
                ParameterValue.objects.filter(
                    part=OuterRef("pk"), definition_id__in=ids, **bounds[match]
                )
            )
        )
    return condition


def _value_label(definition_ids: list[int], text: str, vocab: Vocabulary) -> str:
    """"Rated voltage ≥ 25V": the parameter(s) meant, how they compare, the value typed."""
    named: dict[str, str] = {}
    for pk in definition_ids:
        named.setdefault(vocab.definition_name(pk), vocab.definitions.get(pk, ("equal",))[0])
    names = sorted(named)[:2]
    signs = {_MATCH_SIGNS.get(named[name], "=") for name in names}
    sign = signs.pop() if len(signs) == 1 else "="
    return f"{' / '.join(names)} {sign} {text}"


def label_value_chips(chips: list[Chip], candidates: "Candidates") -> None:
    """Name each value chip after the parameter meant in the category most results are in:
    "10k" among chip resistors is "Resistance = 10kΩ", not "DC resistance / ESR"."""
    value_chips = [chip for chip in chips if chip.definition_ids]
    if not value_chips or not candidates.rows:
        return
    vocab = vocabulary()
    in_category = Counter(row[0] for row in candidates.rows.values())
    for chip in value_chips:
        best = max(
            chip.definition_ids,
            key=lambda pk: (in_category.get(vocab.definitions.get(pk, ("", 0))[1], 0), -pk),
        )
        if in_category.get(vocab.definitions.get(best, ("", 0))[1], 0):
            chip.label = _value_label([best], chip.value_text, vocab)


def _named_chip(wording: str, name: str, token: str) -> Chip:
    """A chip whose label ends in part data, e.g. "Manufacturer: YAGEO"."""
    return Chip(wording % {"name": name}, token, data=name)


def _without_token(query: str, token: str) -> str:
    words = query.split()
    if token in words:
        words.remove(token)
    else:
        words = [w for w in words if w not in token.split()]
    return " ".join(words)


def understand(query: str) -> tuple[Q, list[Chip], list[str], bool]:
    """Turn a multi-word query into (filter, chips, unmatched keywords, understood anything)."""
    vocab = vocabulary()
    values, rest = split_value_tokens(query)
    condition = Q()
    chips: list[Chip] = []
    keywords: list[str] = []
    category_paths: list[str] = []
    understood = False
    words = rest[:MAX_TOKENS]
    index = 0
    while index < len(words):
        word = words[index]
        pair = normalize_name(" ".join(words[index : index + 2])) if index + 1 < len(words) else ""
        normalized = normalize_name(word)
        if pair and pair in vocab.manufacturers:
            maker = vocab.manufacturers[pair]
            condition &= Q(manufacturer_id=maker)
            chips.append(
                _named_chip(
                    _("Manufacturer: %(name)s"),
                    vocab.manufacturer_names[maker],
                    f"{words[index]} {words[index + 1]}",
                )
            )
            understood = True
            index += 2
            continue
        if not normalized:
            pass
        elif normalized in chinese.NEUTRAL_WORDS:
            understood = True  # "贴片" (SMD): how nearly every part mounts, not a filter
        elif normalized in vocab.packages:
            condition &= Q(package__iexact=vocab.packages[normalized])
            chips.append(_named_chip(_("Package: %(name)s"), vocab.packages[normalized], word))
            understood = True
        elif normalized in vocab.choice_values:
            text = vocab.choice_values[normalized]
            condition &= Q(
                Exists(
                    ParameterValue.objects.filter(
                        part=OuterRef("pk"),
                        definition__kind=ParameterKind.CHOICE,
                        text=text,
                    )
                )
            )
            chips.append(Chip(f"{text}", word, data=text))
            understood = True
        elif normalized in vocab.manufacturers:
            maker = vocab.manufacturers[normalized]
            condition &= Q(manufacturer_id=maker)
            chips.append(
                _named_chip(_("Manufacturer: %(name)s"), vocab.manufacturer_names[maker], word)
            )
            understood = True
        elif normalized in vocab.categories:
            category_ids = vocab.categories[normalized]
            paths = list(
                Category.objects.filter(pk__in=category_ids).values_list("path", flat=True)
            )
            category_paths.extend(paths)
            in_category = Q(category_id__in=category_ids)
            for path in paths:
                in_category |= Q(category__path__startswith=path + "/")
            condition &= in_category
            names = sorted({vocab.category_name(c) for c in category_ids})
            chips.append(
                Chip(_("Category: %(names)s") % {"names": " / ".join(names[:2])}, word)
            )
            understood = True
        elif looks_like_part_number(word):
            # "F103" is part of a number, "Cortex-M3" a description word: either will do.
            candidates = mpn_candidates(word)
            condition &= Q(normalized_mpn__contains=candidates[-1]) | _keyword_filter([word])
            chips.append(
                _named_chip(_("Part number or description contains %(name)s"), word, word)
            )
            understood = True
        else:
            keywords.append(word)
        index += 1
    # Values last: a category named in the query ("25V capacitor") says which parameter a
    # value means there.
    value_chips: list[Chip] = []
    for value in values[:MAX_TOKENS]:
        unit = value.unit or "Ω"
        definition_ids = vocab.units.get(unit, [])
        if category_paths:
            within = [
                pk
                for pk in definition_ids
                if any(
                    vocab.definitions[pk][2] == path
                    or vocab.definitions[pk][2].startswith(path + "/")
                    for path in category_paths
                )
            ]
            definition_ids = within or definition_ids
        if not definition_ids:
            keywords.append(value.text)
            continue
        condition &= _value_filter(value, definition_ids, vocab)
        text = value.text if value.unit else value.text + "Ω"
        value_chips.append(
            Chip(
                label=_value_label(definition_ids, text, vocab),
                token=_source_token(query, value),
                definition_ids=definition_ids,
                value_text=text,
                data=text,
            )
        )
        understood = True
    chips[:0] = value_chips
    if keywords:
        condition &= _keyword_filter(keywords)
    return condition, chips, keywords, understood


def _source_token(query: str, value: ParsedValue) -> str:
    """The words of the query that a parsed value came from (for its remove link)."""
    for word in query.split():
        parsed = split_value_tokens(word)[0]
        if parsed and parsed[0] == value:
            return word
    return value.text


def search(raw_query: str) -> SearchOutcome:
    """Read a query and return the parts it finds (unordered) or the one part it names."""
    query = clean_query(raw_query)
    if chinese.has_chinese(query):
        # "贴片电阻10k 0603" is read as "贴片电阻 10k 0603", "村田电容" as "村田 电容".
        query = chinese.segment(query, vocabulary().chinese_words)
    elif not normalize_mpn(query) and not split_value_tokens(query)[0]:
        return SearchOutcome(query=query, kind=SearchKind.EMPTY)
    query = fix_prefix_case(query)
    words = query.split()
    values, rest = split_value_tokens(query)
    joined_is_number = len(words) <= 3 and looks_like_part_number("".join(words))
    if values and (joined_is_number or (len(words) == 1 and not rest)):
        # "10k" is a value, "ERJ 3EKF 1002V" a number one piece of which reads as a value:
        # a part whose number is spelled so still goes straight to its page.
        exact = list(
            Part.objects.select_related("manufacturer").filter(
                normalized_mpn__in=mpn_candidates(query)
            )[:2]
        )
        if len(exact) == 1:
            return SearchOutcome(query=query, kind=SearchKind.EXACT, exact_part=exact[0])
    elif normalize_mpn(query) and (len(words) == 1 or joined_is_number):
        exact, partial, fetched = _part_number_matches(query)
        if len(exact) == 1:
            return SearchOutcome(query=query, kind=SearchKind.EXACT, exact_part=exact[0])
        if exact:
            return SearchOutcome(
                query=query,
                kind=SearchKind.EXACT,
                parts=_base().filter(pk__in=[p.pk for p in exact]),
            )
        if partial is not None:
            return SearchOutcome(
                query=query,
                kind=SearchKind.PART_NUMBER,
                parts=partial,
                mpn_terms=mpn_candidates(query),
                fetched=fetched,
            )
    condition, chips, keywords, understood = understand(query)
    if understood or keywords:
        parts = _base().filter(condition)
        kind = SearchKind.VALUE if chips else SearchKind.KEYWORD
        outcome = SearchOutcome(query=query, kind=kind, parts=parts, chips=chips, keywords=keywords)
    else:
        outcome = SearchOutcome(query=query, kind=SearchKind.KEYWORD, parts=_base().none())
    for chip in outcome.chips:
        remaining = _without_token(query, chip.token)
        chip.remove_url = "/search/?" + urlencode({"q": remaining}) if remaining else "/search/"
    return outcome


def did_you_mean(query: str) -> list[Part]:
    words = query.split()
    if len(words) == 1 and looks_like_part_number(words[0]):
        return fuzzy_part_numbers(words[0])
    return []


# --- Ranking ------------------------------------------------------------------------------


@dataclass
class Candidates:
    """Up to CANDIDATE_CAP matching parts, best first, with what facets need of each."""

    ids: list[int]
    capped: bool
    # id -> (category id, manufacturer id, available, RoHS)
    rows: dict[int, tuple[int, int, int, str]]

    def queryset(self) -> QuerySet[Part]:
        return Part.objects.filter(pk__in=self.ids)


_CANDIDATE_COLUMNS = (
    "pk",
    "normalized_mpn",
    "category_id",
    "manufacturer_id",
    "rohs",
    "stock_available",
)


def _fetch(parts: QuerySet[Part], limit: int) -> list[tuple]:
    """LIMITed, unsorted: the database stops at ``limit`` matches instead of sorting them all."""
    if limit <= 0:
        return []
    return list(parts.order_by().values_list(*_CANDIDATE_COLUMNS)[:limit])


def ranked(parts: QuerySet[Part], outcome: SearchOutcome) -> Candidates:
    """Rank at most CANDIDATE_CAP candidates of ``parts`` (one or two LIMITed queries).

    Part numbers: exact, then starting with the query, then containing it; shorter MPNs
    first, then most stock first. Values and keywords: in stock first, most stock first."""
    if outcome.kind == SearchKind.PART_NUMBER and outcome.mpn_terms:
        terms = outcome.mpn_terms
        starts = Q()
        for term in terms:
            starts |= Q(normalized_mpn__startswith=term)
        with prefix_mpn_lookups():
            prefixed = _fetch(parts.filter(starts), CANDIDATE_CAP + 1)
        if parts is outcome.parts and outcome.fetched is not None:
            containing = outcome.fetched
        else:
            containing = _fetch(parts, CANDIDATE_CAP + 1)
        capped = len(prefixed) > CANDIDATE_CAP or len(containing) > CANDIDATE_CAP
        found = list({row[0]: row for row in prefixed + containing}.values())

        def key(row):
            mpn = row[1]
            tier = 0 if mpn in terms else 1 if mpn.startswith(tuple(terms)) else 2
            return (tier, len(mpn), -row[5], mpn, row[0])

    else:
        # One LIMITed query: all matches when there are few, else a sample to rank (most
        # parts are in stock, so the sample's first page is in stock too).
        found = _fetch(parts, CANDIDATE_CAP + 1)
        capped = len(found) > CANDIDATE_CAP

        def key(row):
            return (-row[5], row[1], row[0])

    best = sorted(found, key=key)[:CANDIDATE_CAP]
    return Candidates(
        ids=[row[0] for row in best],
        capped=capped,
        rows={row[0]: (row[2], row[3], row[5], row[4]) for row in best},
    )


def relevance_page(candidates: Candidates, page_number: int) -> listing.ListingPage:
    """One page of ranked candidates with the listing's columns: one query for 50 rows."""
    page = Paginator(candidates.ids, listing.PAGE_SIZE).get_page(page_number)
    rows = listing.listed_rows(list(page.object_list))
    for row in rows:
        row.key_texts = []
    return listing.ListingPage(page=page, rows=rows)


def candidate_facets(candidates: Candidates, *, limit: int = 15) -> dict:
    """facets() for ranked candidates, counted in Python: two small name queries."""
    by_category = Counter(row[0] for row in candidates.rows.values())
    by_maker = Counter(row[1] for row in candidates.rows.values())
    top_categories = [pk for pk, _count in by_category.most_common(limit * 2)]
    top_makers = [pk for pk, _count in by_maker.most_common(limit * 2)]
    categories = [
        {
            "category__path": path,
            "category__name": name_for_language(name, name_zh),
            "count": by_category[pk],
        }
        for pk, path, name, name_zh in Category.objects.filter(
            pk__in=top_categories
        ).values_list("pk", "path", "name", "name_zh")
    ]
    makers = [
        {"manufacturer__slug": slug, "manufacturer__name": name, "count": by_maker[pk]}
        for pk, slug, name in Manufacturer.objects.filter(pk__in=top_makers).values_list(
            "pk", "slug", "name"
        )
    ]
    categories.sort(key=lambda c: (-c["count"], c["category__name"]))
    makers.sort(key=lambda m: (-m["count"], m["manufacturer__name"]))
    return {
        "categories": categories[:limit],
        "manufacturers": makers[:limit],
        "in_stock": sum(1 for row in candidates.rows.values() if row[2] > 0),
        "rohs": sum(1 for row in candidates.rows.values() if row[3] == RoHS.COMPLIANT),
    }


@dataclass
class RankedSearch:
    """What a query finds before any filter: the part it names (its URL) or its ranked
    candidates with their facets, and the outcome as the page shows it (chips, words)."""

    outcome: SearchOutcome
    exact_url: str | None = None
    candidates: Candidates | None = None
    facets: dict | None = None


def _ranked_search_key(query: str) -> str:
    digest = hashlib.blake2b(query.encode(), digest_size=16).hexdigest()
    return f"search-ranked:{translation.get_language() or ''}:{digest}"


def ranked_search(raw_query: str) -> RankedSearch:
    """search() and ranked() for a query with no filters, kept for
    ``CATALOG_SEARCH_CACHE_SECONDS`` in the shared cache: a query asked again costs one
    cache read instead of its lookups and candidate reads. The page's rows are still read
    each time, so prices and stock are never older than the rows; which parts match and
    the facet counts may be that many seconds old."""
    seconds = settings.CATALOG_SEARCH_CACHE_SECONDS
    key = _ranked_search_key(clean_query(raw_query))
    if seconds and (found := cache.get(key)) is not None:
        return found
    outcome = search(raw_query)
    found = RankedSearch(outcome=outcome)
    if outcome.exact_part is not None:
        found.exact_url = outcome.exact_part.get_absolute_url()
    elif outcome.parts is not None:
        found.candidates = ranked(outcome.parts, outcome)
        found.facets = candidate_facets(found.candidates)
        label_value_chips(outcome.chips, found.candidates)
    if seconds:
        # Kept without the querysets and model rows, which the page does not need again.
        kept = replace(outcome, parts=None, exact_part=None, did_you_mean=[], fetched=None)
        cache.set(key, replace(found, outcome=kept), seconds)
    return found


# --- Facets and logging -------------------------------------------------------------------


def facets(parts: QuerySet[Part], *, limit: int = 15) -> dict:
    """Counts by category and manufacturer, and how many are in stock and RoHS compliant."""
    base = parts.order_by()
    categories = list(
        base.values("category__path", "category__name", "category__name_zh")
        .annotate(count=Count("id"))
        .order_by("-count", "category__name")[:limit]
    )
    for row in categories:
        row["category__name"] = name_for_language(
            row["category__name"], row.pop("category__name_zh")
        )
    manufacturers = list(
        base.values("manufacturer__slug", "manufacturer__name")
        .annotate(count=Count("id"))
        .order_by("-count", "manufacturer__name")[:limit]
    )
    flags = base.aggregate(
        in_stock=Count("id", filter=Q(stock_available__gt=0)),
        rohs=Count("id", filter=Q(rohs=RoHS.COMPLIANT)),
    )
    return {"categories": categories, "manufacturers": manufacturers, **flags}


def log_search(*, query: str, kind: str, result_count: int) -> None:
    if not query:
        return
    SearchLog.objects.create(
        query=query[:200],
        normalized=normalize_mpn(query)[:200] or query.lower()[:200],
        kind=kind,
        result_count=result_count,
    )


# --- Autocomplete -------------------------------------------------------------------------


def _prefix_sample(prefix: str) -> QuerySet[Part]:
    """Ids of up to SUGGEST_CANDIDATES parts starting with ``prefix``, unsorted: the prefix
    index finds them without sorting every match of a short prefix."""
    return (
        Part.objects.filter(normalized_mpn__startswith=prefix)
        .order_by()
        .values("pk")[:SUGGEST_CANDIDATES]
    )


def suggestions(raw_query: str, *, limit: int = 8) -> dict:
    """MPN prefixes, categories and manufacturers for the search box; cached per prefix."""
    query = clean_query(raw_query)[:60]
    prefix = normalize_mpn(query)
    language = translation.get_language() or ""
    key = f"search-suggest:{language}:{prefix}:{normalize_name(query)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result: dict = {"parts": [], "categories": [], "manufacturers": []}
    if len(prefix) >= 2:
        with prefix_mpn_lookups():
            rows = list(
                Part.objects.filter(pk__in=_prefix_sample(prefix))
                .order_by("normalized_mpn")
                .values_list("mpn", "manufacturer__name", "manufacturer__slug")[:limit]
            )
        result["parts"] = [
            {"mpn": mpn, "manufacturer": maker, "url": f"/part/{slug}/{mpn_slug(mpn)}/"}
            for mpn, maker, slug in rows
        ]
    needle = normalize_name(query)
    if needle:
        vocab = vocabulary()
        seen: set[int] = set()
        for word, ids in sorted(vocab.categories.items()):
            if word.startswith(needle):
                seen.update(ids)
        result["categories"] = [
            {"name": name_for_language(name, name_zh), "url": f"/c/{path}/"}
            for name, name_zh, path in Category.objects.filter(pk__in=list(seen)[:50])
            .order_by("depth", "name")
            .values_list("name", "name_zh", "path")[:5]
        ]
        makers = sorted({pk for word, pk in vocab.manufacturers.items() if word.startswith(needle)})
        result["manufacturers"] = [
            {"name": name, "url": f"/m/{slug}/"}
            for name, slug in Manufacturer.objects.filter(pk__in=makers[:20])
            .order_by("name")
            .values_list("name", "slug")[:5]
        ]
    cache.set(key, result, 300)
    return result
