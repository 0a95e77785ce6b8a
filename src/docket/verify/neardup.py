"""Near-duplicate texts with MinHash and LSH banding, in numpy.

Drafts, re-saved copies and OCR of the same page share most of their word pairs. Each
text becomes the set of its word 2-shingles (folded tokens from ``docket.text.normalize``,
so alef forms and Arabic-Indic digits do not count as differences); 128 min-hashes
estimate the Jaccard similarity of two sets; LSH banding (32 bands of 4 rows) puts texts
with an estimated similarity above about 0.4 in a shared bucket with near certainty, so
only bucket-mates are compared and the work stays linear in the number of texts.

Why 2-shingles: one changed word costs two shingles, so a 60-word letter with its amount
changed still scores about 0.93, and OCR noise (one bad word in twenty) about 0.8; longer
shingles punish OCR noise too hard. Why our own code: datasketch (MIT) adds scipy and, on
the bench (bench/neardup.py), hashes one document at a time in Python; the batched numpy
version here hashes every shingle of a batch in one array operation.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: P(candidate | J=0.6) = 0.99, P(candidate | J=0.2) = 0.05
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.6  # Jaccard of shingle sets: a re-scan with 1 word in 12 misread still scores ~0.65
MIN_TOKENS = 12  # shorter texts (a stamp, a header) match each other by chance
SHINGLE = 2
_BATCH = 100_000  # shingles hashed per numpy call: 128 x 100k x 8 bytes = 100 MB at most
_BIG_BUCKET = 64  # past this many members a bucket is joined as a chain, not all pairs
_SEED = 20240611  # fixed: the same texts give the same groups on every run and machine

_rng = np.random.default_rng(_SEED)
# Multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, keep the high 32 bits.
_A = _rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 2**63, size=ROWS, dtype=np.uint64) | np.uint64(1)


@dataclass(slots=True)
class Group:
    """Texts that are near-duplicates of each other (joined through pairs above threshold)."""

    members: list[int]  # indexes into the input, in input order
    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (i, j, similarity)

    @property
    def similarity(self) -> float:
        """The weakest link: every member is at least this similar to another member."""
        return min(s for _, _, s in self.pairs) if self.pairs else 1.0


class Vocabulary:
    """Token -> stable 32-bit hash, cached: a cache of seized documents repeats its words."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def hashes(self, tokens: Sequence[str]) -> np.ndarray:
        ids = self._ids
        for tok in set(tokens).difference(ids):
            ids[tok] = zlib.crc32(tok.encode("utf-8"))
        return np.array(list(map(ids.__getitem__, tokens)), dtype=np.uint64)


def shingle_hashes(token_hashes: np.ndarray) -> np.ndarray:
    """32-bit hashes of consecutive token pairs (a text shorter than a pair: its tokens)."""
    if len(token_hashes) < SHINGLE:
        return token_hashes.astype(np.uint64)
    mixed = token_hashes[:-1] * np.uint64(0x9E3779B97F4A7C15) + token_hashes[1:]
    return (mixed ^ (mixed >> np.uint64(29))) & np.uint64(0xFFFFFFFF)


def shingles_of(tokens: Sequence[str], vocab: Vocabulary) -> np.ndarray | None:
    """A text's shingle hashes as uint32 (small enough to keep for a whole case); None
    when the text is under ``MIN_TOKENS`` tokens and takes no part."""
    if len(tokens) < MIN_TOKENS:
        return None
    return shingle_hashes(vocab.hashes(tokens)).astype(np.uint32)


def signatures(shingle_sets: Iterable[np.ndarray]) -> np.ndarray:
    """MinHash signatures, one row of ``NUM_PERM`` uint32 per input (empty input: all max)."""
    rows: list[np.ndarray] = []
    batch: list[np.ndarray] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if not batch:
            return
        lengths = np.array([len(s) for s in batch])
        flat = np.concatenate(batch).astype(np.uint64)
        out = np.full((len(batch), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
        nonempty = lengths > 0
        if flat.size:
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
            hashed = np.multiply(_A[:, None], flat[None, :])  # wraps mod 2^64, as intended
            hashed += _B[:, None]
            hashed >>= np.uint64(32)
            out[nonempty] = np.minimum.reduceat(hashed, starts, axis=1).T.astype(np.uint32)
        rows.append(out)
        batch, size = [], 0

    for s in shingle_sets:
        batch.append(s)
        size += len(s)
        if size >= _BATCH:
            flush()
    flush()
    return np.concatenate(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)


def candidate_pairs(sigs: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of rows that agree on every row of at least one band."""
    pairs: set[tuple[int, int]] = set()
    n = len(sigs)
    if n < 2:
        return pairs
    for band in range(BANDS):
        block = sigs[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        keys = (block * _BAND_MIX[None, :]).sum(axis=1, dtype=np.uint64) ^ np.uint64(band)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        # Only buckets of two or more matter; find them without splitting every bucket.
        same = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
        if not len(same):
            continue
        run_starts = same[np.concatenate(([True], np.diff(same) > 1))]
        for start in run_starts:
            end = start + 1
            while end < n and sorted_keys[end] == sorted_keys[start]:
                end += 1
            members = sorted(int(i) for i in order[start:end])
            if len(members) > _BIG_BUCKET:
                # Boilerplate (blank forms, cover pages) fills huge buckets; a chain keeps
                # them connected without n^2 comparisons.
                pairs.update(itertools.pairwise(members))
                continue
            pairs.update(itertools.combinations(members, 2))
    return pairs


def estimate(sigs: np.ndarray, i: int, j: int) -> float:
    return float(np.count_nonzero(sigs[i] == sigs[j])) / NUM_PERM


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    sa, sb = np.unique(a), np.unique(b)
    union = len(np.union1d(sa, sb))
    return len(np.intersect1d(sa, sb, assume_unique=True)) / union if union else 1.0


def near_duplicates(
    token_lists: Sequence[Sequence[str]],
    threshold: float = THRESHOLD,
    *,
    exact: bool = True,
) -> list[Group]:
    """Groups of near-duplicate texts, given each text's folded tokens (see ``group``)."""
    vocab = Vocabulary()
    return group([shingles_of(t, vocab) for t in token_lists], threshold, exact=exact)


def group(
    shingle_sets: Sequence[np.ndarray | None],
    threshold: float = THRESHOLD,
    *,
    exact: bool = True,
) -> list[Group]:
    """Groups of near-duplicates among shingle sets (``shingles_of``; None takes no part).

    With ``exact`` the similarity of each candidate pair is the true Jaccard of its
    shingle sets (for a case's report); without it, the MinHash estimate (for 100,000s).
    """
    keep = [i for i, s in enumerate(shingle_sets) if s is not None]
    shingles = [s for s in shingle_sets if s is not None]
    sigs = signatures(shingles)
    parent = list(range(len(keep)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    accepted: list[tuple[int, int, float]] = []
    for i, j in sorted(candidate_pairs(sigs)):
        est = estimate(sigs, i, j)
        if est < threshold - 0.15:  # the estimate's error is ~0.04 at 128 permutations
            continue
        sim = jaccard(shingles[i], shingles[j]) if exact else est
        if sim >= threshold:
            accepted.append((i, j, round(sim, 3)))
            parent[find(i)] = find(j)
    groups: dict[int, Group] = {}
    for k in range(len(keep)):
        groups.setdefault(find(k), Group([])).members.append(keep[k])
    for i, j, sim in accepted:
        groups[find(i)].pairs.append((keep[i], keep[j], sim))
    return sorted((g for g in groups.values() if len(g.members) > 1), key=lambda g: g.members[0])


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Exact Jaccard similarity of two token lists' shingle sets (for reporting a pair)."""
    vocab = Vocabulary()
    return jaccard(shingle_hashes(vocab.hashes(a)), shingle_hashes(vocab.hashes(b)))
