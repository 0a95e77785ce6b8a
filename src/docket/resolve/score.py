"""Name-part-aware comparison of two parsed names, with the evidence for and against.

A shared kunya alone (Abu Ammar) names many people, so a match needs two agreeing parts;
a part both names have and disagree on (al-Nuaimi vs al-Tamimi) is evidence against and
blocks the match whatever else agrees. Nisbas and first nasabs are held to a stricter
test (``lineage_relation``): they must agree outright, or they veto the match — two
look-alikes who share a kunya, or an ism and a father's name, are told apart by them
alone (al-Iraqi and al-Raqqawi romanise to the same consonants). Nasab and nisba count together as the lineage, so
"Rasheed" read as a father's name in one spelling and as a family name in another still
agrees; conflicts are only counted within one kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from rigour.text.distance import levenshtein

from docket.resolve.names import skeleton, vowel_shape, weak_letters
from docket.text.names.parser import NameParts

AGREE = 0.8  # token similarity at or above which two parts agree outright
SAME_SKELETON = 0.5  # …or this, when their consonant skeletons are equal
CONFLICT = 0.6  # below this, with different skeletons, two parts disagree
THRESHOLD = 0.75  # overall score needed to join two names
STRICT_AGREE = 0.85  # nisbas with different skeletons agree only this close (OCR slips)
VOWELS = frozenset("aeiou")
Relation = Callable[[str, str], tuple[str, float]]


@dataclass(slots=True)
class Verdict:
    score: float  # 0..1; 0 when blocked by a conflict
    agree: list[str] = field(default_factory=list)  # "nisba nuaymi~nuaymi (1.00)"
    conflict: list[str] = field(default_factory=list)

    @property
    def match(self) -> bool:
        return not self.conflict and len(self.agree) >= 2 and self.score >= THRESHOLD

    def evidence(self) -> dict[str, object]:
        return {"score": round(self.score, 3), "agree": self.agree, "against": self.conflict}


@lru_cache(maxsize=1_000_000)  # a case's names share few distinct tokens
def similarity(a: str, b: str) -> float:
    """Similarity of two folded tokens, 0..1, by edit distance."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    longest = max(len(a), len(b))
    return 1.0 - levenshtein(a, b) / longest


@lru_cache(maxsize=1_000_000)  # a case's names share few distinct tokens
def token_relation(a: str, b: str) -> tuple[str, float]:
    """("agree" | "conflict" | "neutral", similarity) for two folded tokens. Spellings of
    one name keep their consonants in order; a different first consonant (al-Zubaidi vs
    al-Ubaydi) is a different name however close the letters. Two ``Abd`` compounds are
    compared by what follows ``abd`` (Abd al-Qadir and Abd al-Aziz share only that)."""
    if a[:3] == b[:3] == "abd" and a != b and len(a) > 3 and len(b) > 3:
        return token_relation(a[3:], b[3:])
    sim = similarity(a, b)
    ska, skb = skeleton(a), skeleton(b)
    if ska == skb:
        return ("agree" if sim >= SAME_SKELETON else "neutral"), sim
    if sim < CONFLICT or (ska[:1] != skb[:1] and ska and skb):
        return "conflict", sim
    return ("agree" if sim >= AGREE else "neutral"), sim


@lru_cache(maxsize=1_000_000)  # a case's names share few distinct tokens
def lineage_relation(a: str, b: str) -> tuple[str, float]:
    """("agree" | "conflict", similarity) for two folded nisbas (or first nasabs): no
    neutral ground. Besides ``token_relation``'s skeleton, spellings of one nisba agree on
    whether it starts with a vowel (al-Iraqi, not al-Raqqawi: the romaniser drops the
    ayn, the vowel stays) and, when both write as many weak letters, on where those
    stand (al-Dulaimi, not al-Daylami; al-Issawi and al-Eisawi differ in how many)."""
    sim = similarity(a, b)
    if a == b:
        return "agree", sim
    if skeleton(a) != skeleton(b):
        return ("agree" if sim >= STRICT_AGREE else "conflict"), sim
    if (a[:1] in VOWELS) != (b[:1] in VOWELS):
        return "conflict", sim
    wa, wb = weak_letters(a), weak_letters(b)
    if len(wa) == len(wb) and wa != wb:  # the same letters, a weak one elsewhere
        return "conflict", sim
    return ("agree" if sim >= SAME_SKELETON else "conflict"), sim


def _other_name(a: str, b: str, sim: float) -> bool:
    # Two given names with the same consonants, not alike enough to agree outright, that
    # differ in a weak letter (Hasan / Husayn) or where the vowels stand (Muhammad /
    # Mahmud) are two names, not two spellings of one.
    if sim >= AGREE:
        return False
    return len(weak_letters(a)) != len(weak_letters(b)) or vowel_shape(a) != vowel_shape(b)


@lru_cache(maxsize=1_000_000)  # a case's names share few distinct tokens
def ism_relation(a: str, b: str) -> tuple[str, float]:
    """``token_relation`` for two isms, with no neutral ground, and two names that only
    look alike (Hasan / Husayn, Muhammad / Mahmud, Sami / Salih) kept apart."""
    rel, sim = token_relation(a, b)
    if (rel == "agree" and _other_name(a, b, sim)) or rel == "neutral":
        return "conflict", sim  # neutral: other consonants (Sami / Salih)
    return rel, sim


@lru_cache(maxsize=1_000_000)  # a case's names share few distinct tokens
def nasab_relation(a: str, b: str) -> tuple[str, float]:
    """``lineage_relation`` for two fathers' names, which are isms too."""
    rel, sim = lineage_relation(a, b)
    if rel == "agree" and _other_name(a, b, sim):
        return "conflict", sim
    return rel, sim


def _best(
    values_a: tuple[str, ...], values_b: tuple[str, ...], relation: Relation | None = None
) -> tuple[str, float, str, str]:
    best = ("conflict", -1.0, "", "")
    for a in values_a:
        for b in values_b:
            rel, sim = (relation or token_relation)(a, b)
            if sim > best[1]:
                best = (rel, sim, a, b)
    return best


def compare(a: NameParts, b: NameParts) -> Verdict:
    """Compare two names part by part; see the module docstring for the rules."""
    return _judge(a, b, True)


def quick(a: NameParts, b: NameParts) -> Verdict:
    """``compare`` without its notes (each agreeing or conflicting part counts as an empty
    one), stopping at the first conflict: what a clusterer needs of the many pairs that
    will not join (``match`` and whether ``conflict`` is empty are ``compare``'s)."""
    return _judge(a, b, False)


def _judge(a: NameParts, b: NameParts, notes: bool) -> Verdict:
    verdict = Verdict(0.0)
    sims: list[float] = []
    # Kunya, ism, then nisba (the order of the notes); a part one side lacks is skipped.
    for kind, va, vb, relation in (
        ("kunya", a.kunya, b.kunya, token_relation),
        ("ism", (a.ism,) if a.ism else (), (b.ism,) if b.ism else (), ism_relation),
        ("nisba", a.nisba, b.nisba, lineage_relation),
    ):
        if not va or not vb:
            continue
        rel, sim, x, y = _best(va, vb, relation)
        if rel == "agree":
            verdict.agree.append(f"{kind} {x}~{y} ({sim:.2f})" if notes else "")
            sims.append(sim)
        elif rel == "conflict":
            verdict.conflict.append(f"{kind} {x}~{y} ({sim:.2f})" if notes else "")
            if not notes:
                return verdict
    if a.nasab and b.nasab:
        rel, sim = nasab_relation(a.nasab[0], b.nasab[0])
        if rel == "conflict" and not _in_lineage(a.nasab[0], b) and not _in_lineage(b.nasab[0], a):
            verdict.conflict.append(f"nasab {a.nasab[0]}~{b.nasab[0]} ({sim:.2f})" if notes else "")
            if not notes:
                return verdict
    # Lineage: a nasab on either side may meet the other's nasab or nisba (one spelling
    # reads "Rasheed" as a father's name, another as the family name).
    if a.nasab or b.nasab:
        pairs = [(x, y) for x in a.nasab for y in b.nasab + b.nisba]
        pairs += [(x, y) for x in a.nisba for y in b.nasab]
        taken: set[str] = set()
        for x, y in pairs:
            if x in taken or y in taken:
                continue
            rel, sim = token_relation(x, y)
            if rel == "agree":
                verdict.agree.append(f"lineage {x}~{y} ({sim:.2f})" if notes else "")
                sims.append(sim)
                taken.update((x, y))
    if verdict.conflict or not sims:
        return verdict
    # Parts one side lacks (a dropped kunya or nisba) are not evidence against, but a
    # name with many unmatched parts is weaker evidence than a near-identical one.
    unmatched = max(len(a.tokens), len(b.tokens)) - len(sims)
    verdict.score = sum(sims) / len(sims) * (0.97 ** max(unmatched, 0))
    return verdict


def _in_lineage(token: str, other: NameParts) -> bool:
    return any(token_relation(token, t)[0] == "agree" for t in other.nasab + other.nisba)
