"""Chinese words in search queries: where they start and end, and what the trade means by them.

Chinese is written without spaces, and engineers run words and values together
("贴片电阻10k 0603"). A query is cut where Chinese meets Latin letters or digits, and each run
of Chinese characters is cut into the longest words the search vocabulary knows (category
names, manufacturer names, the words below), so the rest of search reads it word by word as
it reads English. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# Category words engineers use beside the category's own Chinese name, by category slug: a
# word applies to every category with that slug (and so to its sub-categories).
CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "capacitors": ("电容", "电容器"),
    "mlcc": ("贴片电容", "陶瓷电容", "瓷片电容", "多层陶瓷电容"),
    "aluminum-electrolytic": ("电解电容", "铝电解电容", "铝电解"),
    "tantalum": ("钽电容",),
    "resistors": ("电阻", "电阻器"),
    "chip-resistors": ("贴片电阻",),
    "inductors": ("电感", "电感器"),
    "power-inductors": ("功率电感",),
    "ferrite-beads": ("磁珠",),
    "diodes": ("二极管",),
    "zener": ("稳压二极管", "齐纳二极管", "稳压管"),
    "schottky": ("肖特基", "肖特基二极管"),
    "transistors": ("晶体管",),
    "bjts": ("三极管",),
    "mosfets": ("场效应管",),
    "microcontrollers": ("单片机", "微控制器"),
    "crystals": ("晶振", "晶体"),
    "oscillators": ("有源晶振", "振荡器"),
    "connectors": ("连接器", "接插件"),
    "leds": ("发光二极管",),
    "ldo-regulators": ("稳压器", "线性稳压器"),
}

# Words that say how a part is mounted or sold rather than what it is: understood, narrowing
# nothing ("贴片" is SMD, which nearly every part in the catalog is).
NEUTRAL_WORDS: frozenset[str] = frozenset({"贴片", "贴片式", "表贴", "封装", "型号"})

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_BOUNDARY = re.compile(f"(?<=[{_CJK}])(?=[^{_CJK}\\s])|(?<=[^{_CJK}\\s])(?=[{_CJK}])")
# Full-width punctuation Chinese input methods type between words.
_PUNCTUATION = re.compile(r"[，、；：。！？（）【】《》“”‘’　]+")
LONGEST_WORD = 10


def has_chinese(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


def segment(query: str, words: Collection[str]) -> str:
    """The query with spaces between Chinese words and between Chinese and the rest:
    "贴片电阻10k 0603" -> "贴片电阻 10k 0603", "村田电容" -> "村田 电容". ``words`` are the
    known Chinese words; characters no word covers stay together as one unknown word."""
    if not has_chinese(query):
        return query
    text = _BOUNDARY.sub(" ", _PUNCTUATION.sub(" ", query))
    return _CJK_RUN.sub(lambda run: " ".join(_cut(run.group(), words)), text)


def _cut(run: str, words: Collection[str]) -> list[str]:
    pieces: list[str] = []
    unknown = ""
    index = 0
    while index < len(run):
        for end in range(min(len(run), index + LONGEST_WORD), index, -1):
            if run[index:end] in words:
                if unknown:
                    pieces.append(unknown)
                    unknown = ""
                pieces.append(run[index:end])
                index = end
                break
        else:
            unknown += run[index]
            index += 1
    if unknown:
        pieces.append(unknown)
    return pieces
