"""Person resolution on a generated, labelled case: pairwise precision, recall and F1
over mentions, and the merges of two people whose nisba (or nasab) differs, on a dev
split and a test split.

    PYTHONPATH=src python bench/accuracy/people.py [--people 120] [--mode ner|names] [--errors N]

A case is drawn from a seed: people with an ism (compound ones too: عبد الرحمن, Abdul
Rahman, Abd al-Rahman, Abdelrahman), a father's name, a nisba, most with a kunya (short
ones too: أبو بكر), some with a title; each written three or four ways (Arabic, and two or
three Latin spellings: full names, ``bin`` chains, kunya + nisba with no ism). Look-alike
pairs share a kunya, or an ism and a father's name, and differ only by a nisba whose
romanisation is close (al-Iraqi / al-Raqqawi, al-Dulaimi / al-Daylami). Two people never
share what a shortened form keeps, so a careful reader can tell every mention apart.

``--mode ner`` (the default) writes each mention into a sentence (a roster line, a report,
a letter), runs Docket's Arabic and English NER over it and resolves what they found
(``docket.resolve.run.resolve``), as an ingest would; a mention the NER misses or cuts
counts against recall. ``--mode names`` resolves the written names directly.

Splits: ``dev`` (seeds 1 to 5) and ``test`` (seeds 101 and 102), whose look-alike pairs and other
nisbas are drawn from pools the dev cases never use. Tune on dev only.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from docket.resolve.run import Member, resolve

# (Arabic, Latin spellings)
ISMS = [("محمد", "Muhammad|Mohammed|Mohamed"), ("أحمد", "Ahmad|Ahmed"), ("علي", "Ali|Aly"),
        ("حسن", "Hasan|Hassan"), ("حسين", "Husayn|Hussein|Hussain"), ("عمر", "Omar|Umar"),
        ("خالد", "Khalid|Khaled"), ("سعيد", "Said|Saeed"), ("إبراهيم", "Ibrahim|Ebrahim"),
        ("يوسف", "Yusuf|Yousef|Youssef"), ("محمود", "Mahmoud|Mahmud"), ("مصطفى", "Mustafa|Mostafa"),
        ("صالح", "Salih|Saleh"), ("جاسم", "Jasim|Jassem"), ("ياسر", "Yasir|Yasser"),
        ("طارق", "Tariq|Tarek"), ("وليد", "Walid|Waleed"), ("فيصل", "Faisal|Faysal"),
        ("ماجد", "Majid|Maged"), ("نبيل", "Nabil|Nabeel"), ("سامي", "Sami|Samy"), ("عادل", "Adil|Adel"),
        ("عبد الرحمن", "Abdul Rahman|Abd al-Rahman|Abdelrahman|Abdurrahman"),
        ("عبد الله", "Abdullah|Abdallah|Abd Allah"),
        ("عبد العزيز", "Abdulaziz|Abd al-Aziz|Abdel Aziz"),
        ("عبد الكريم", "Abdul Karim|Abd al-Karim|Abdelkarim"),
        ("عبد القادر", "Abdul Qadir|Abd al-Qadir|Abdelkader"),
        ("عبد الرزاق", "Abdul Razzaq|Abd al-Razzaq|Abderrazak")]  # fmt: skip
KUNYAS = [("بكر", "Bakr|Bakir"), ("عمر", "Umar|Omar"), ("محمد", "Muhammad|Mohammed"),
          ("حفص", "Hafs"), ("مصعب", "Musab|Mus'ab"), ("أيوب", "Ayyub|Ayoub"),
          ("حمزة", "Hamza|Hamzah"), ("يوسف", "Yusuf|Yousef"), ("عبد الله", "Abdullah|Abd Allah"),
          ("عبد الرحمن", "Abd al-Rahman|Abdul Rahman"), ("خالد", "Khalid|Khaled"),
          ("طلحة", "Talha|Talhah"), ("قتادة", "Qatada|Katada"), ("دجانة", "Dujana|Dujanah"),
          ("سياف", "Sayyaf|Sayaf"), ("علي", "Ali"), ("أنس", "Anas"), ("زيد", "Zaid|Zayd"),
          ("جعفر", "Jafar|Ja'far"), ("سلمان", "Salman|Selman")]  # fmt: skip
KUNYA_HEADS = "Abu|Abou|Abu"
# Look-alike nisba pairs and other nisbas, kept apart between the splits.
LOOKALIKES = {
    "dev": [(("العراقي", "al-Iraqi|al-Iraki|el-Iraqi"), ("الرقاوي", "al-Raqqawi|al-Rakkawi|ar-Raqawi")),
            (("الشامي", "al-Shami|ash-Shami|el-Chami"), ("الشمري", "al-Shammari|ash-Shamari")),
            (("المصري", "al-Masri|el-Masry"), ("المصراتي", "al-Misrati|al-Musrati")),
            (("الحمداني", "al-Hamdani|el-Hamadani"), ("الحمادي", "al-Hammadi|al-Hamadi")),
            (("الأنباري", "al-Anbari|el-Anbary"), ("الأنصاري", "al-Ansari|el-Ansary")),
            (("العزاوي", "al-Azzawi|al-Ezzawi|el-Azzaoui"), ("الزاوي", "az-Zawi|al-Zawi|ez-Zaoui"))],
    "test": [(("الجزراوي", "al-Jazrawi|al-Jezrawi"), ("الجزائري", "al-Jazairi|el-Djazairi")),
             (("الحلبي", "al-Halabi|el-Halaby"), ("الحلبوسي", "al-Halbousi|al-Halbusi")),
             (("الليبي", "al-Libi|al-Liby"), ("اللبناني", "al-Lubnani|el-Lebnani")),
             (("العبيدي", "al-Obaidi|al-Ubaydi"), ("الزبيدي", "al-Zubaidi|az-Zubaydi")),
             (("الدليمي", "al-Dulaimi|ad-Dulaymi"), ("الديلمي", "al-Daylami|al-Dailami"))],
}  # fmt: skip
NISBAS = {
    "dev": [("النعيمي", "al-Nuaimi|al-Noaimy|en-Nuaimi"), ("الجبوري", "al-Jubouri|al-Jabouri"),
            ("الراوي", "al-Rawi|ar-Rawi"), ("العاني", "al-Ani|al-Aani"),
            ("الكردي", "al-Kurdi|el-Kurdy"), ("الحسيني", "al-Husseini|el-Husseiny"),
            ("التميمي", "al-Tamimi|at-Tamimy"), ("البغدادي", "al-Baghdadi|el-Baghdady"),
            ("الدوري", "al-Douri|ad-Duri"), ("الجنابي", "al-Janabi|al-Jenabi"),
            ("البياتي", "al-Bayati|el-Bayaty"), ("العيساوي", "al-Issawi|al-Eisawi|el-Issaoui"),
            ("الهاشمي", "al-Hashimi|el-Hachemi"), ("العتيبي", "al-Otaibi|al-Utaybi"),
            ("الحوراني", "al-Hawrani|al-Hourani|el-Horani"), ("النوري", "an-Nouri|al-Nuri"),
            ("الشوكاني", "al-Shawkani|ash-Shokani"), ("الطائي", "al-Tai|at-Taie|al-Taee"),
            ("الكربلائي", "al-Karbalai|al-Karbalaei"), ("الربيعي", "al-Rubaie|ar-Rubaiy|al-Rubai"),
            ("الشافعي", "al-Shafii|ash-Shafei"), ("العلواني", "al-Alwani|el-Aloani"),
            ("اللامي", "al-Lami|el-Lamy"), ("اللوزي", "al-Lawzi|al-Louzi"),
            ("السعدي", "al-Saadi|as-Saadi|es-Saady"), ("السوري", "as-Suri|al-Souri"),
            ("الطحان", "al-Tahhan|at-Tahan"), ("الصافي", "as-Safi|al-Safy")],
    "test": [("الكبيسي", "al-Kubaisi|al-Kubaysi"), ("الفلاحي", "al-Falahi|al-Fallahi"),
             ("الزوبعي", "al-Zobaie|al-Zubai"), ("السامرائي", "al-Samarrai|as-Samarrai"),
             ("الموصلي", "al-Mosuli|al-Mawsili"), ("الشيشاني", "al-Shishani|ash-Shishani"),
             ("الكبيسي", "al-Kubaisi|al-Kubaisy"), ("الفهداوي", "al-Fahdawi|al-Fahadawi")],
}  # fmt: skip
TITLES = [("الشيخ", "Sheikh"), ("الأخ", "Brother"), ("الحاج", "Hajji"), ("الدكتور", "Dr.")]
SEEDS = {"dev": (1, 2, 3, 4, 5), "test": (101, 102)}

Pair = tuple[str, str]


@dataclass
class Person:
    ism: Pair
    father: Pair
    nisba: Pair
    kunya: Pair | None
    title: Pair | None
    mentions: list[str] = field(default_factory=list)


def _latin(pair: Pair, rng: random.Random) -> str:
    return rng.choice(pair[1].split("|"))


def people(n: int, split: str, rng: random.Random) -> list[Person]:
    out: list[Person] = []
    taken: set[tuple[str, ...]] = set()

    def free(p: Person) -> bool:
        keys = [("if", p.ism[0], p.father[0]), ("in", p.ism[0], p.nisba[0])]
        if p.kunya:
            keys += [("kn", p.kunya[0], p.nisba[0]), ("ki", p.kunya[0], p.ism[0])]
        return not any(k in taken for k in keys)

    def add(p: Person) -> None:
        taken.update([("if", p.ism[0], p.father[0]), ("in", p.ism[0], p.nisba[0])])
        if p.kunya:
            taken.update([("kn", p.kunya[0], p.nisba[0]), ("ki", p.kunya[0], p.ism[0])])
        out.append(p)

    def draw(nisbas: list[Pair]) -> Person:
        ism = rng.choice(ISMS)
        father = rng.choice([x for x in ISMS if x != ism])
        kunya = rng.choice(KUNYAS) if rng.random() < 0.8 else None
        title = rng.choice(TITLES) if rng.random() < 0.3 else None
        return Person(ism, father, rng.choice(nisbas), kunya, title)

    pairs = LOOKALIKES[split]
    pool = NISBAS[split] + [x for pair in pairs for x in pair]
    # A third of the people come in look-alike pairs: one shares the other's kunya, or
    # its ism and father's name, and has the look-alike nisba.
    while len(out) < n // 3:
        a_nisba, b_nisba = rng.choice(pairs)
        a = draw([a_nisba])
        if not free(a):
            continue
        if rng.random() < 0.5:
            a.kunya = a.kunya or rng.choice(KUNYAS)
            b = Person(rng.choice(ISMS), rng.choice(ISMS), b_nisba, a.kunya, None)
        else:
            b = Person(a.ism, a.father, b_nisba, rng.choice(KUNYAS), None)
        if b.ism == b.father or not free(b) or not free(a):
            continue
        add(a)
        if free(b):
            add(b)
    while len(out) < n:
        p = draw(pool)
        if free(p):
            add(p)
    return out


def spellings(p: Person, rng: random.Random) -> list[str]:
    """Three or four ways of writing one person: one in Arabic, the rest in Latin."""
    ar_title = p.title[0] + " " if p.title and rng.random() < 0.6 else ""
    k_ar = f"أبو {p.kunya[0]} " if p.kunya else ""
    arabic = rng.choice(
        [f"{ar_title}{k_ar}{p.ism[0]} {p.father[0]} {p.nisba[0]}",
         f"{ar_title}{p.ism[0]} بن {p.father[0]} {p.nisba[0]}",
         f"{ar_title}{p.ism[0]} {p.father[0]} {p.nisba[0]}"]
        + ([f"{ar_title}أبو {p.kunya[0]} {p.nisba[0]}"] if p.kunya else [])
    )  # fmt: skip
    forms = [
        lambda: f"{_latin(p.ism, rng)} {_latin(p.father, rng)} {_latin(p.nisba, rng)}",
        lambda: f"{_latin(p.ism, rng)} bin {_latin(p.father, rng)} {_latin(p.nisba, rng)}",
    ]
    if p.kunya:
        k = p.kunya

        def head() -> str:
            return rng.choice(["Abu", "Abu", "Abou"])

        forms += [
            lambda: f"{head()} {_latin(k, rng)} {_latin(p.nisba, rng)}",
            lambda: f"{head()} {_latin(k, rng)} {_latin(p.ism, rng)} {_latin(p.nisba, rng)}",
        ]
    if p.title:
        t = p.title
        forms.append(
            lambda: f"{t[1]} {_latin(p.ism, rng)} {_latin(p.father, rng)} {_latin(p.nisba, rng)}"
        )
    picked = rng.sample(range(len(forms)), k=min(len(forms), rng.choice([2, 2, 3])))
    if p.kunya:
        # A kunya + nisba form shares only the nisba with an ism form: a reader joins
        # them through a form that gives the kunya with the ism (the case always has one).
        short = 2 in picked or arabic.startswith(f"{ar_title}أبو {p.kunya[0]} {p.nisba[0]}")
        bridged = 3 in picked or arabic.startswith(f"{ar_title}{k_ar}{p.ism[0]}")
        if short and not bridged:
            picked[-1 if picked[-1] != 2 else 0] = 3
    return [arabic, *(forms[i]() for i in picked)]


AR_CONTEXTS = ["استلم {} مبلغ ٢٠٠ دولار من الديوان", "رسالة إلى {} بخصوص الرواتب",
               "الاسم: {}\nالمبلغ: ٣٠٠"]  # fmt: skip
EN_CONTEXTS = ["Payment of 200 dollars to {} was approved.", "Report on {} dated 3 May 2016.",
               "Name: {}\nAmount: 300", "The office wrote to {} about the transfer."]  # fmt: skip


def members_by_ner(texts: list[str], rng: random.Random) -> list[Member | None]:
    """Each written name in a sentence through Docket's NER; the mention found over it."""
    from docket.enrich.ner import arabic, english
    from docket.model.items import Segment
    from docket.model.results import ExtractResult
    from docket.settings import Settings

    settings = Settings()
    out: list[Member | None] = []
    for i, text in enumerate(texts):
        ar = any("\u0600" <= c <= "\u06ff" for c in text)
        ctx = rng.choice(AR_CONTEXTS if ar else EN_CONTEXTS)
        doc = ctx.format(text)
        start = doc.index(text)
        result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment(doc)])
        (arabic if ar else english).enrich(result, settings)
        best, overlap = None, 0
        for m in result.mentions:
            o = min(m.end, start + len(text)) - max(m.start, start)
            if m.kind == "person" and o > overlap:
                best, overlap = m, o
        if best is None:
            out.append(None)
            continue
        out.append(Member(f"mention:{i}", "person", best.text, (i, 0, best.start),
                          f"m:{i}", f"i{i}", dict(best.attrs)))  # fmt: skip
    return out


def evaluate(n: int, seed: int, split: str, mode: str, errors: int) -> dict[str, float]:
    rng = random.Random(seed)
    ps = people(n, split, rng)
    texts: list[str] = []
    gold: list[int] = []
    for g, p in enumerate(ps):
        for t in spellings(p, rng):
            texts.append(t)
            gold.append(g)
    if mode == "ner":
        found = members_by_ner(texts, rng)
    else:
        found = [Member(f"mention:{i}", "person", t, (i, 0, 0), f"m:{i}", f"i{i}")
                 for i, t in enumerate(texts)]  # fmt: skip
    entities = resolve([m for m in found if m is not None])
    pred: dict[int, str] = {}
    for e in entities:
        for ref in e["members"]:
            pred[int(ref.split(":")[1])] = e["id"]
    tp = fp = fn = 0
    merged_nisba: set[tuple[int, int]] = set()
    merged_nasab: set[tuple[int, int]] = set()
    shown = 0
    for i, j in combinations(range(len(texts)), 2):
        same_pred = i in pred and j in pred and pred[i] == pred[j]
        same_gold = gold[i] == gold[j]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
        if same_pred and not same_gold:
            a, b = ps[gold[i]], ps[gold[j]]
            if a.nisba[0] != b.nisba[0]:
                merged_nisba.add((min(gold[i], gold[j]), max(gold[i], gold[j])))
            if a.father[0] != b.father[0]:
                merged_nasab.add((min(gold[i], gold[j]), max(gold[i], gold[j])))
        if errors and shown < errors and same_pred != same_gold:
            shown += 1
            kind = "wrong merge" if same_pred else "missed join"
            got = [found[k].text if found[k] else None for k in (i, j)] if mode == "ner" else ""
            print(f"  {kind}: {texts[i]!r} / {texts[j]!r} {got}")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    by_person: dict[int, set[str]] = defaultdict(set)
    for i, g in enumerate(gold):
        if i in pred:
            by_person[g].add(pred[i])
    joined = sum(1 for g in range(len(ps)) if len(by_person[g]) == 1 and
                 sum(1 for x in gold if x == g) == sum(1 for i, x in enumerate(gold) if x == g and i in pred))  # fmt: skip
    return {"people": len(ps), "mentions": len(texts), "found": sum(m is not None for m in found),
            "p": p, "r": r, "f1": f1, "nisba_merges": len(merged_nisba),
            "nasab_merges": len(merged_nasab), "joined": joined}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=120)
    ap.add_argument("--mode", choices=("ner", "names"), default="ner")
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--errors", type=int, default=0, help="print this many dev errors")
    args = ap.parse_args()
    for split in ("dev", "test"):
        if args.split not in (split, "both"):
            continue
        totals: Counter[str] = Counter()
        for seed in SEEDS[split]:
            shown = args.errors if split == "dev" else 0
            got = evaluate(args.people, seed, split, args.mode, shown)
            print(f"people {split} seed {seed} ({args.mode}): {got['people']} people, "
                  f"{got['mentions']} mentions ({got['found']} found): P {got['p']:.3f} "
                  f"R {got['r']:.3f} F1 {got['f1']:.3f}; merges across nisba "
                  f"{got['nisba_merges']}, across nasab {got['nasab_merges']}; "
                  f"{got['joined']} people wholly joined")  # fmt: skip
            totals.update({k: v for k, v in got.items()})
        k = len(SEEDS[split])
        print(f"people {split} mean F1 {totals['f1'] / k:.3f} (P {totals['p'] / k:.3f}, "
              f"R {totals['r'] / k:.3f}); merges across nisba {totals['nisba_merges']}, "
              f"across nasab {totals['nasab_merges']}")  # fmt: skip


if __name__ == "__main__":
    main()
