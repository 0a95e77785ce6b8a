"""Person resolution: pairwise precision/recall/F1 on generated names with realistic
variation, beside nomenklatura's name matcher on the same pairs; cross-script top-1 on
the shared ar2en sample; time and peak memory for 100,000 mentions.

    .venv/bin/python bench/resolve.py [--people 300] [--scale 100000] [--xscript 1000]

Needs the ``bench`` extra (nomenklatura) for the baseline; skipped without it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from docket.resolve.cluster import block_keys
from docket.resolve.names import parse
from docket.resolve.run import Member, resolve
from docket.resolve.score import compare, similarity
from docket.text.names.folding import fold
from docket.text.xscript_roman import romanise

# Arabic spelling, then Latin spellings seen in real documents for the same name.
KUNYA = [("عمار", "Ammar|Amar|Ammaar"), ("يوسف", "Yusuf|Yousef|Youssef|Yousif"),
         ("محمد", "Muhammad|Mohammed|Mohamed|Mohammad"), ("علي", "Ali|Aly"),
         ("حفص", "Hafs|Hafes"), ("عبيدة", "Ubayda|Obaida|Ubaidah"), ("بكر", "Bakr|Baker|Bakir"),
         ("خالد", "Khalid|Khaled"), ("حمزة", "Hamza|Hamzah"), ("مصعب", "Musab|Mosab|Mus'ab")]  # fmt: skip
ISM = [("حسن", "Hassan|Hasan"), ("خالد", "Khalid|Khaled"), ("سمير", "Samir|Sameer"),
       ("عمر", "Omar|Umar"), ("أحمد", "Ahmed|Ahmad"), ("إبراهيم", "Ibrahim|Ebrahim"),
       ("وليد", "Walid|Waleed"), ("سعيد", "Said|Saeed|Sa'id"), ("فاروق", "Farouk|Faruq"),
       ("محمود", "Mahmoud|Mahmud"), ("جمال", "Jamal|Gamal"), ("طارق", "Tariq|Tarek|Tarik"),
       ("ياسين", "Yassin|Yasin|Yaseen"), ("عادل", "Adel|Adil"), ("رشيد", "Rashid|Rasheed")]  # fmt: skip
NISBA = [("النعيمي", "al-Nuaimi|al-Noaimy|al-Nuaymi|el-Naimi"), ("التميمي", "al-Tamimi|al-Tamimy|el-Tamimi"),
         ("الجبوري", "al-Jubouri|al-Jubori|al-Jabburi"), ("العبيدي", "al-Obaidi|al-Ubaydi|al-Obeidi"),
         ("الأنصاري", "al-Ansari|el-Ansary"), ("الحمداني", "al-Hamdani|el-Hamadani"),
         ("الدليمي", "al-Dulaimi|al-Dulaymi|ad-Dulaimi"), ("الراوي", "al-Rawi|ar-Rawi"),
         ("الشمري", "al-Shammari|al-Shamari|ash-Shammari"), ("العاني", "al-Ani|al-Aani"),
         ("الزبيدي", "al-Zubaidi|al-Zubaydi|az-Zubaidi"), ("الكبيسي", "al-Kubaisi|al-Kubaysi"),
         ("البغدادي", "al-Baghdadi|el-Baghdady"), ("الحلبي", "al-Halabi|el-Halaby"),
         ("المصري", "al-Masri|el-Masry"), ("الليبي", "al-Libi|al-Liby")]  # fmt: skip
TITLES = ["الأخ", "الشيخ", "Brother", "Sheikh", "Haji"]
OCR_AR = {"ي": "ى", "ة": "ه", "ب": "ت", "ن": "ت", "ع": "غ"}
OCR_LAT = {"i": "l", "l": "1", "m": "rn", "o": "0", "u": "ii", "e": "c"}


FORMS = [("kunya", "nisba"), ("kunya", "ism", "nisba"), ("ism", "father", "nisba"),
         ("ism", "nisba"), ("kunya", "ism", "father", "nisba"), ("ism", "father")]  # fmt: skip
# Two people never share what a shortened form keeps, so every mention can be told apart
# by a careful reader; they do share kunyas, given names and nisbas one at a time.
UNIQUE = [("kunya", "nisba"), ("ism", "nisba"), ("ism", "father"), ("kunya", "ism")]


def person(rng: random.Random) -> dict[str, tuple[str, str]]:
    p = {"ism": rng.choice(ISM), "nisba": rng.choice(NISBA)}
    p["father"] = rng.choice([x for x in ISM if x != p["ism"]])
    if rng.random() < 0.6:
        p["kunya"] = rng.choice(KUNYA)
    return p


def spell(p: dict[str, tuple[str, str]], rng: random.Random, full: bool = False) -> str:
    arabic = rng.random() < 0.45
    forms = [f for f in FORMS if all(k in p for k in f)]
    present = max(forms, key=len) if full else rng.choice(forms)
    words = []
    for k in present:
        ar, lat = p[k]
        if arabic:
            marker = (
                "أبو " if k == "kunya" else "بن " if k == "father" and rng.random() < 0.3 else ""
            )
            words.append((marker, ar))
        else:
            kun = rng.choice(["Abu", "Abou", "Abu", "Abo"])
            marker = (
                f"{kun} "
                if k == "kunya"
                else "bin "
                if k == "father" and rng.random() < 0.3
                else ""
            )
            words.append((marker, rng.choice(lat.split("|"))))
    if rng.random() < 0.12:  # OCR noise: one confusable letter in one name (not a marker)
        table = OCR_AR if arabic else OCR_LAT
        n = rng.randrange(len(words))
        marker, word = words[n]
        spots = [i for i, c in enumerate(word) if c in table]
        if spots:
            i = rng.choice(spots)
            words[n] = (marker, word[:i] + table[word[i]] + word[i + 1 :])
    text = " ".join(m + w for m, w in words)
    if rng.random() < 0.15:
        text = rng.choice(TITLES[:2] if arabic else TITLES[2:]) + " " + text
    return text


def dataset(n_people: int, per_person: int, seed: int) -> tuple[list[str], list[int]]:
    rng = random.Random(seed)
    taken: set[tuple] = set()
    people = []
    for _ in range(n_people * 200):
        if len(people) >= n_people:
            break
        p = person(rng)
        keys = {(f, *(p[k][0] for k in f)) for f in UNIQUE if all(k in p for k in f)}
        if not keys & taken:
            taken |= keys
            people.append(p)
    texts, truth = [], []
    for i, p in enumerate(people):
        # Each person is named in full somewhere (a roster row, a letter's signature);
        # the other mentions are shortened, transliterated, noisy.
        for n in range(rng.randint(2, per_person)):
            texts.append(spell(p, rng, full=n == 0))
            truth.append(i)
    return texts, truth


def prf(pred: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def members(texts: list[str]) -> list[Member]:
    return [Member(f"mention:{i}", "person", t, (i, 0, 0), f"m:{i}", f"item{i // 20}")
            for i, t in enumerate(texts)]  # fmt: skip


def clustering_bench(n_people: int, seed: int) -> None:
    texts, truth = dataset(n_people, 6, seed)
    ents = resolve(members(texts))
    label = {int(ref.split(":")[1]): n for n, e in enumerate(ents) for ref in e["members"]}
    pairs = list(combinations(range(len(texts)), 2))
    gold = {(i, j) for i, j in pairs if truth[i] == truth[j]}
    pred = {(i, j) for i, j in pairs if label[i] == label[j]}
    p, r, f = prf(pred, gold)
    print(f"clustering: {n_people} people, {len(texts)} mentions, {len(gold)} true pairs")
    print(f"  docket resolve       P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    # The same pairs for both matchers: every true pair, and every false pair that shares
    # a blocking key or a name part (the hard negatives a matcher must reject).
    parsed = [parse(t) for t in texts]
    keys = [block_keys(x) | {v for _, v in x.parts()} for x in parsed]
    judged = [(i, j) for i, j in pairs if truth[i] == truth[j] or keys[i] & keys[j]]
    gold_j = {x for x in judged if truth[x[0]] == truth[x[1]]}
    ours = {(i, j) for i, j in judged if compare(parsed[i], parsed[j]).match}
    p, r, f = prf(ours, gold_j)
    print(f"  on {len(judged)} judged pairs ({len(gold_j)} true):")
    print(f"  docket pairwise      P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    p, r, f = prf({x for x in judged if label[x[0]] == label[x[1]]}, gold_j)
    print(f"  docket clusters      P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    try:
        from followthemoney import model
        from nomenklatura.matching import NameMatcher
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        print("  nomenklatura not installed (pip install -e '.[bench]'): baseline skipped")
        return
    proxies = []
    for i, t in enumerate(texts):
        e = model.make_entity("Person")
        e.id = f"m{i}"
        e.add("name", t)
        proxies.append(e)
    config = ScoringConfig.defaults()
    scores = {x: NameMatcher.compare(proxies[x[0]], proxies[x[1]], config).score for x in judged}
    best = max(
        (
            (t, *prf({x for x in judged if scores[x] >= t}, gold_j))
            for t in (0.5, 0.6, 0.7, 0.8, 0.9)
        ),
        key=lambda row: row[3],
    )
    p, r, f = prf({x for x in judged if scores[x] >= 0.7}, gold_j)
    print(f"  nomenklatura {NameMatcher.NAME} @0.7  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(
        f"  nomenklatura best threshold {best[0]}: P {best[1]:.3f}  R {best[2]:.3f}  F1 {best[3]:.3f}"
    )


def xscript_bench(path: Path, n: int, seed: int) -> None:
    rows = [
        line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line
    ]
    gold: dict[str, set[str]] = {}
    for ar, en in rows:
        gold.setdefault(ar.strip(), set()).add(fold(en.strip()))
    cands = sorted({fold(en.strip()) for _, en in rows} - {""})
    by_len: dict[int, list[str]] = {}
    for c in cands:
        by_len.setdefault(len(c), []).append(c)
    queries = random.Random(seed).sample(sorted(gold), min(n, len(gold)))
    from normality import ascii_text as maybe_ascii

    for label, latin_of in (("romanised (arabic-name-romanizer)", romanise),
                            ("plain ICU transliteration", maybe_ascii)):  # fmt: skip
        hits, started = 0, time.perf_counter()
        for ar in queries:
            q = fold(latin_of(ar) or "")
            pool = [c for d in range(-3, 4) for c in by_len.get(len(q) + d, [])]
            top = max(pool, key=lambda c: similarity(q, c), default="")
            hits += top in gold[ar]
        print(f"cross-script top-1, {label}: {hits / len(queries):.3f} on {len(queries)} names "
              f"against {len(cands)} spellings ({time.perf_counter() - started:.1f} s)")  # fmt: skip


def _synthetic(rng: random.Random, syllables: int) -> str:
    cons, vows = "bdfhjklmnrstwyz", ["a", "i", "u", "ou", "ee", "a"]
    return "".join(rng.choice(cons) + rng.choice(vows) for _ in range(syllables)).capitalize()


def scale_bench(n: int, seed: int) -> None:
    """Many distinct people: the demo pools plus invented Latin names, so the number of
    distinct spellings (what resolution's cost follows) is realistic, not the pools'."""
    rng = random.Random(seed)
    isms = [(_synthetic(rng, 2), "") for _ in range(3000)]
    nisbas = [(_synthetic(rng, 3) + "i", "") for _ in range(2000)]
    texts: list[str] = []
    while len(texts) < n:
        p = {"ism": rng.choice(isms), "father": rng.choice(isms), "nisba": rng.choice(nisbas)}
        for k, (name, _) in p.items():
            p[k] = (name, name if k != "nisba" else "al-" + name)
        for m in range(rng.randint(2, 8)):
            form = rng.choice([("ism", "father", "nisba"), ("ism", "nisba"), ("ism", "father")])
            texts.append(
                " ".join(p[k][1] for k in form) if m else " ".join(p[k][1] for k in FORMS[2])
            )
    real, _ = dataset(300, 6, seed)  # and the Arabic/Latin pools, a fifth of the mentions
    texts = texts[: n - n // 5] + (real * (n // 5 // len(real) + 1))[: n // 5]
    ms = members(texts)
    started = time.perf_counter()
    ents = resolve(ms)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    distinct = len(Counter(texts))
    print(f"scale: {n} person mentions ({distinct} distinct spellings) -> {len(ents)} entities "
          f"in {elapsed:.1f} s, peak RSS {peak:.0f} MiB, nproc {os.cpu_count()}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--xscript", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    clustering_bench(args.people, args.seed)
    sample = Path(__file__).resolve().parents[2] / "shared/samples/names/ar2en-train.txt"
    if sample.exists() and args.xscript:
        xscript_bench(sample, args.xscript, args.seed)
    if args.scale:
        scale_bench(args.scale, args.seed)


if __name__ == "__main__":
    main()
