"""Near-duplicate bench: precision and recall on known pairs, then time and memory at scale.

    .venv/bin/python bench/neardup.py [--docs 100000] [--quality 20000]

Texts are generated: words drawn from a Zipf vocabulary of Arabic and Latin letters;
planted pairs are drafts (a few words replaced), re-scans (letters misread in 3-10% of
words) and re-typed copies (a sentence dropped). The scale run calls the library directly
on generated texts (tokenising included), not a full ingest.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import time

import numpy as np

from docket.text.normalize import tokens
from docket.verify.neardup import (
    THRESHOLD,
    Vocabulary,
    group,
    near_duplicates,
    shingles_of,
    similarity,
)

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def vocabulary(n: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < n:
        letters = ARABIC if rng.random() < 0.6 else LATIN
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))))
    return sorted(words)


def corpus(n: int, seed: int = 1) -> tuple[list[str], set[tuple[int, int]]]:
    """``n`` texts of which ~10% are near-copies of another; the planted pairs."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = np.array(vocabulary(40_000, rng))
    weights = 1 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    originals = int(n * 0.9)
    lengths = nrng.integers(60, 400, size=originals)
    draws = nrng.choice(len(vocab), size=int(lengths.sum()), p=weights)
    texts, pos = [], 0
    for length in lengths:
        texts.append(" ".join(vocab[draws[pos : pos + length]]))
        pos += length
    pairs = set()
    while len(texts) < n:
        k = rng.randrange(originals)
        words = texts[k].split()
        kind = rng.random()
        if kind < 0.4:  # draft: a few words replaced
            for p in rng.sample(range(len(words)), max(1, len(words) // 40)):
                words[p] = str(rng.randint(100, 99999))
        elif kind < 0.8:  # re-scan: letters misread
            rate = rng.uniform(0.03, 0.10)
            for i, w in enumerate(words):
                if rng.random() < rate:
                    j = rng.randrange(len(w))
                    words[i] = w[:j] + rng.choice(LATIN) + w[j + 1 :]
        else:  # re-typed: a stretch dropped
            cut = rng.randrange(len(words) - len(words) // 10)
            del words[cut : cut + len(words) // 10]
        texts.append(" ".join(words))
        pairs.add((k, len(texts) - 1))
    return texts, pairs


def quality(n: int) -> None:
    texts, planted = corpus(n, seed=2)
    toks = [tokens(t) for t in texts]
    groups = near_duplicates(toks)
    found = {(min(a, b), max(a, b)) for g in groups for a in g.members for b in g.members if a < b}
    # Ground truth: planted pairs whose true similarity reaches the threshold (a re-scan
    # with 10% misread words falls below it by design), plus any pair found that is truly
    # above it (two copies of one original are near-duplicates of each other too).
    true = {p for p in planted if similarity(toks[p[0]], toks[p[1]]) >= THRESHOLD}
    extra = {p for p in found - true if similarity(toks[p[0]], toks[p[1]]) >= THRESHOLD}
    true |= extra
    tp = len(found & true)
    print(f"quality on {n} texts, {len(planted)} planted pairs, {len(true)} at or above "
          f"{THRESHOLD}: precision {tp / max(1, len(found)):.4f}, recall {tp / max(1, len(true)):.4f}; "
          f"recall over all planted pairs {len(found & planted) / len(planted):.4f}")  # fmt: skip


def scale(n: int) -> None:
    """As ``docket.verify.authenticity`` does for a case: each text tokenised and hashed to
    its shingles at once (tokens are not kept), then grouped on the MinHash estimate."""
    t0 = time.perf_counter()
    texts, planted = corpus(n, seed=3)
    t1, c1 = time.perf_counter(), time.process_time()
    vocab = Vocabulary()
    shingles = [shingles_of(tokens(t), vocab) for t in texts]
    t2, c2 = time.perf_counter(), time.process_time()
    groups = group(shingles, exact=False)
    t3, c3 = time.perf_counter(), time.process_time()
    words = sum(len(s) + 1 for s in shingles if s is not None)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scale: {n} texts, {words / 1e6:.1f} M words (generated in {t1 - t0:.1f} s)")
    print(f"  tokenise + shingle {t2 - t1:.1f} s wall / {c2 - c1:.1f} s CPU; MinHash + LSH + "
          f"grouping {t3 - t2:.1f} s wall / {c3 - c2:.1f} s CPU; {len(groups)} groups "
          f"({len(planted)} planted pairs); peak RSS {rss:.0f} MB (the texts included)")  # fmt: skip


def datasketch_compare(n: int) -> None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch not installed: comparison skipped")
        return
    texts, _ = corpus(n, seed=4)
    toks = [tokens(t) for t in texts]
    t0 = time.perf_counter()
    near_duplicates(toks, exact=False)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    for i, tk in enumerate(toks):
        m = MinHash(num_perm=128)
        m.update_batch([f"{a} {b}".encode() for a, b in itertools.pairwise(tk)])
        lsh.insert(i, m)
    theirs = time.perf_counter() - t0
    print(f"{n} texts: docket.verify.neardup {ours:.1f} s; datasketch MinHash+LSH insert "
          f"(no querying yet) {theirs:.1f} s")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--quality", type=int, default=20_000)
    parser.add_argument("--compare", type=int, default=0, help="texts for a datasketch run")
    args = parser.parse_args()
    if args.quality:
        quality(args.quality)
    if args.compare:
        datasketch_compare(args.compare)
    if args.docs:
        scale(args.docs)
