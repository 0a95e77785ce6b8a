"""Personal names as the resolver compares them: the one parser's parts
(``docket.text.names.parser``) with every unit folded to its Latin key
(``docket.text.names.folding``), so "أبو عمار النعيمي" and "Abou Ammar al-Noaimy" meet on
kunya ``amar`` and nisba ``nuaymi``; and ``skeleton``, the blocking key of a folded token.
"""

from __future__ import annotations

import re
from functools import lru_cache

from docket.text.names import lexicon as lx
from docket.text.names.folding import unit_key
from docket.text.names.parser import NameParts, kunya_name
from docket.text.names.parser import parse as parse_written

_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(folded: str) -> str:
    """Consonant skeleton of a folded token, the blocking key: vowels and the weak
    letters w and y (which transliterations drop or add freely) removed; h only where it
    marks a digraph (kh, sh, th, gh), since ح and ه tell Mahmud from Ahmad."""
    if not folded:
        return ""
    head = folded[0] if folded[0] not in "aiu" else ""
    rest = re.sub(r"(?<=[kstgdz])h|[aiuwy]", "", folded[1:])
    # Egyptian spellings write ج as g (Gamal/Jamal); gh (غ) stays apart.
    return _DOUBLE.sub(r"\1", re.sub(r"g(?!h)", "j", head + rest))


@lru_cache(maxsize=200_000)
def weak_letters(folded: str) -> str:
    """The consonants and the weak letters w and y of a folded token, in order, vowels
    out: what tells al-Dulaimi (``dlym``) from al-Daylami (``dylm``) when the plain
    skeletons (``dlm``) agree."""
    return _DOUBLE.sub(r"\1", re.sub(r"(?<=[kstgdz])h|[aiu]", "", folded))


@lru_cache(maxsize=200_000)
def vowel_shape(folded: str) -> str:
    """A folded token with each run of vowels as ``_``: where a name has its vowels,
    which its spellings agree on (Muhammad, Mohamed: ``m_h_m_d``) and two names with the
    same consonants need not (Mahmud: ``m_hm_d``)."""
    return _DOUBLE.sub(r"\1", re.sub(r"[aeiou]+", "_", folded))


@lru_cache(maxsize=100_000)  # NameParts is frozen; a case names the same people again and again
def parse(name: str) -> NameParts:
    """Split a personal name, in Arabic or Latin script, into folded parts: each value a
    unit's Latin key (``Abu Ammar`` → kunya ``amar``; titles lower-cased)."""
    written = parse_written(name)
    arabic = written.script == "arabic"

    def key(unit: str) -> str:
        return unit_key(unit, arabic)

    return NameParts(
        titles=tuple(lx.norm(t).rstrip(".") for t in written.titles),
        kunya=tuple(key(kunya_name(k)) for k in written.kunya),
        ism=key(written.ism) if written.ism else "",
        nasab=tuple(key(n) for n in written.nasab),
        nisba=tuple(key(n) for n in written.nisba),
        script=written.script,
        tokens=tuple(k for k in map(key, written.tokens) if k),
    )


def parse_with_hints(name: str, hints: dict[str, object] | None) -> NameParts:
    """``parse``, then fill parts the extraction stage found separately (a roster's kunya
    column, the parts an NER rule recognised) where the text alone did not have them."""
    parts = parse(name)
    if not hints:
        return parts
    extra: dict[str, tuple[str, ...]] = {}
    for key in ("kunya", "nisba", "nasab"):
        raw = hints.get(key)
        if isinstance(raw, str) and raw.strip() and not getattr(parts, key):
            sub = parse(raw if key != "kunya" or _has_kunya_marker(raw) else "Abu " + raw)
            values = sub.kunya if key == "kunya" else sub.tokens
            if values:
                extra[key] = tuple(values)
    if not extra:
        return parts
    return NameParts(
        kunya=extra.get("kunya", parts.kunya),
        ism=parts.ism,
        nasab=extra.get("nasab", parts.nasab),
        nisba=extra.get("nisba", parts.nisba),
        titles=parts.titles,
        script=parts.script,
        tokens=parts.tokens,
    )


def _has_kunya_marker(text: str) -> bool:
    first = (lx.norm(text).split() or [""])[0]
    return first in lx.KUNYA_HEADS
