"""Language identification: the share of sample texts given the right language by
Docket's language enricher (``docket.enrich.language``, the ``all`` setting), on a dev set
and a test set of sentences written apart, in three lengths: a short line (one clause),
a sentence, and a paragraph (the sentences of a language joined); and mixed Arabic and
English documents, which must get both languages.

    PYTHONPATH=src python bench/accuracy/language.py [--split dev|test|both] [--misses]

Only the dev sentences may be looked at while changing the enricher.
"""

from __future__ import annotations

import argparse

from docket.enrich.language import enrich
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import Settings

SAMPLES: dict[str, dict[str, list[str]]] = {
    "dev": {
        "ara": ["نشر التقرير أمس ويصف وضع اللاجئين في شمال البلاد بالتفصيل",
                "وصلت الحوالة المالية إلى المكتب بعد تأخير دام ثلاثة أسابيع"],
        "eng": ["The report was published yesterday and describes the situation in the north",
                "The transfer reached the office after a delay of three weeks"],
        "fra": ["Le rapport a été publié hier et décrit la situation dans le nord du pays",
                "Le virement est arrivé au bureau après un retard de trois semaines"],
        "heb": ["הדוח פורסם אתמול ומתאר את המצב בצפון המדינה",
                "ההעברה הגיעה למשרד לאחר עיכוב של שלושה שבועות"],
        "fas": ["این گزارش دیروز منتشر شد و وضعیت شمال کشور را شرح می‌دهد",
                "حواله پس از سه هفته تأخیر به دفتر رسید"],
        "tur": ["Rapor dün yayımlandı ve ülkenin kuzeyindeki durumu anlatıyor",
                "Havale üç haftalık bir gecikmenin ardından ofise ulaştı"],
        "urd": ["یہ رپورٹ کل شائع ہوئی اور ملک کے شمال کی صورتحال بیان کرتی ہے",
                "رقم تین ہفتوں کی تاخیر کے بعد دفتر پہنچی"],
        "rus": ["Доклад был опубликован вчера и описывает положение на севере страны",
                "Перевод поступил в офис после трёхнедельной задержки"],
        "deu": ["Der Bericht wurde gestern veröffentlicht und beschreibt die Lage im Norden",
                "Die Überweisung erreichte das Büro nach drei Wochen Verspätung"],
        "spa": ["El informe se publicó ayer y describe la situación en el norte del país",
                "La transferencia llegó a la oficina tras un retraso de tres semanas"],
        "ita": ["Il rapporto è stato pubblicato ieri e descrive la situazione nel nord",
                "Il bonifico è arrivato in ufficio dopo un ritardo di tre settimane"],
        "nld": ["Het rapport is gisteren gepubliceerd en beschrijft de situatie in het noorden",
                "De overboeking kwam na drie weken vertraging bij het kantoor aan"],
    },
    "test": {
        "ara": ["اجتمع أعضاء اللجنة في مقر الديوان لمناقشة ميزانية العام القادم",
                "طلب القاضي من الشهود الحضور صباح يوم الأحد إلى المحكمة"],
        "eng": ["Members of the committee met at the headquarters to discuss next year's budget",
                "The judge asked the witnesses to appear in court on Sunday morning"],
        "fra": ["Les membres du comité se sont réunis au siège pour discuter du budget",
                "Le juge a demandé aux témoins de se présenter au tribunal dimanche matin"],
        "heb": ["חברי הוועדה נפגשו במטה כדי לדון בתקציב של השנה הבאה",
                "השופט ביקש מהעדים להופיע בבית המשפט ביום ראשון בבוקר"],
        "fas": ["اعضای کمیته در مقر برای بحث درباره بودجه سال آینده دیدار کردند",
                "قاضی از شاهدان خواست صبح یکشنبه در دادگاه حاضر شوند"],
        "tur": ["Komite üyeleri gelecek yılın bütçesini görüşmek için merkezde toplandı",
                "Hakim tanıklardan pazar sabahı mahkemeye gelmelerini istedi"],
        "urd": ["کمیٹی کے ارکان اگلے سال کے بجٹ پر بات کرنے کے لیے دفتر میں ملے",
                "جج نے گواہوں سے کہا کہ وہ اتوار کی صبح عدالت میں پیش ہوں"],
        "rus": ["Члены комитета собрались в штаб-квартире, чтобы обсудить бюджет",
                "Судья попросил свидетелей явиться в суд в воскресенье утром"],
        "deu": ["Die Mitglieder des Ausschusses trafen sich, um den Haushalt zu besprechen",
                "Der Richter bat die Zeugen, am Sonntagmorgen vor Gericht zu erscheinen"],
        "spa": ["Los miembros del comité se reunieron en la sede para discutir el presupuesto",
                "El juez pidió a los testigos que se presentaran en el tribunal el domingo"],
        "ita": ["I membri del comitato si sono riuniti nella sede per discutere il bilancio",
                "Il giudice ha chiesto ai testimoni di presentarsi in tribunale domenica"],
        "nld": ["De leden van de commissie kwamen bijeen om de begroting te bespreken",
                "De rechter vroeg de getuigen zondagochtend voor de rechtbank te verschijnen"],
    },
}  # fmt: skip


def identify(segments: list[str]) -> ExtractResult:
    result = ExtractResult(
        "text", "text/plain", False, "ok", segments=[Segment(t) for t in segments]
    )
    enrich(result, Settings())
    return result


def short(sentence: str) -> str:
    """The first clause of a sentence, about 30 letters: a cell or a heading."""
    words = sentence.split()
    out: list[str] = []
    while words and sum(len(w) for w in out) < 28:
        out.append(words.pop(0))
    return " ".join(out)


def run(split: str, misses: bool) -> None:
    samples = SAMPLES[split]
    scores: dict[str, list[bool]] = {"short": [], "sentence": [], "paragraph": [], "mixed": []}
    for lang, sentences in samples.items():
        cases = [("short", short(s)) for s in sentences] + [("sentence", s) for s in sentences]
        cases.append(("paragraph", ". ".join(sentences * 2)))
        for kind, text in cases:
            got = identify([text]).lang
            scores[kind].append(got == lang)
            if misses and got != lang:
                print(f"  miss ({kind}): {lang} read as {got}: {text[:60]!r}")
    for ar, en in zip(samples["ara"], samples["eng"], strict=True):
        result = identify([f"{ar}\n{en}"])
        both = {"ara", "eng"} <= set(result.metadata.get("languages", []))
        scores["mixed"].append(both)
    total = [x for v in scores.values() for x in v]
    parts = ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in scores.items())
    print(f"language {split}: {sum(total) / len(total):.3f} right ({parts})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--misses", action="store_true", help="print the dev misses")
    args = ap.parse_args()
    for split in ("dev", "test"):
        if args.split in (split, "both"):
            run(split, args.misses and split == "dev")


if __name__ == "__main__":
    main()
