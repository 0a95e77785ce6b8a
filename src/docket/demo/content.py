"""The fictional world of the sample case: people (with the spellings they appear under),
offices, places, letters and payments. Everything here is invented.

``PEOPLE`` is the ground truth later stages are measured against: one key per real
person, with every spelling the cache uses for them. Abu Ammar al-Nuaimi and Abu Ammar
al-Tamimi share a kunya but are different people (a must-not-merge pair).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

PEOPLE: dict[str, list[str]] = {
    "nuaimi": [
        "أبو عمار النعيمي",
        "Abu Ammar al-Nuaimi",
        "Abou Ammar al-Noaimy",
        "أبو عمّار النعيمى",
    ],
    "tamimi": ["أبو عمار التميمي", "Abu Ammar al-Tamimi"],
    "hassan": ["حسن إبراهيم الجبوري", "Hassan Ibrahim al-Jubouri", "Hasan al-Jubori"],
    "khalid": ["خالد بن وليد العبيدي", "Khalid bin Walid al-Obaidi"],
    "yusuf": ["أبو يوسف الأنصاري", "Abu Yusuf al-Ansari"],
    "samir": ["سمير عبد الله", "Samir Abdullah"],
}

OFFICE_AR = "ديوان بيت المال – مكتب الرقة"
OFFICE_EN = "Finance Bureau, Raqqa office"

LETTER_AR = [
    "بسم الله الرحمن الرحيم",
    f"من: {PEOPLE['nuaimi'][0]}",
    f"إلى: {OFFICE_AR}",
    "الموضوع: طلب تحويل رواتب شهر جمادى الآخرة",
    "التاريخ: ١٤٤٠/٦/١٥ هـ",
    "السلام عليكم ورحمة الله وبركاته،",
    f"نرجو تحويل مبلغ ١٥٠٠ دولار إلى الأخ {PEOPLE['hassan'][0]} عن رواتب عناصر المكتب في دير الزور.",
    f"وقد استلم الأخ {PEOPLE['khalid'][0]} مبلغ ٧٥٠ دولار في الشهر الماضي.",
    "والسلام عليكم.",
]

LETTER_EN = [
    f"From: {PEOPLE['nuaimi'][1]}",
    f"To: {OFFICE_EN}",
    "Subject: Transfer request for the March payroll",
    "Date: 2 March 2019",
    "Please transfer 1,500 USD to brother Hassan Ibrahim al-Jubouri for the salaries of the",
    "Deir ez-Zor office staff. Brother Khalid bin Walid al-Obaidi received 750 USD last month.",
    "The payroll list is attached. Regards.",
]

MEMO_AR = [
    [
        f"من: {PEOPLE['yusuf'][0]}",
        f"إلى: {PEOPLE['tamimi'][0]}",
        "الموضوع: تقرير عن المستودع في الميادين",
        "التاريخ: ٣ آذار ٢٠١٩",
        "نفيدكم بأن جرد المستودع قد اكتمل، والقوائم مرفقة.",
    ],
    [
        "الصفحة الثانية: ملاحظات",
        f"تم تسليم نسخة إلى {PEOPLE['samir'][0]} في البوكمال.",
    ],
]

REPORT_EN = [
    [
        "Quarterly report of the Raqqa finance bureau",
        f"Prepared by {PEOPLE['samir'][1]}, 15 April 2019.",
        "Total payroll for the quarter: 48,250 USD across four offices.",
    ],
    [
        "Annex: transfer requests received",
        f"{PEOPLE['nuaimi'][2]} (Deir ez-Zor) - 1,500 USD",
        f"{PEOPLE['tamimi'][1]} (Mayadin) - 900 USD",
    ],
]

ROSTER_HEADER = ["الاسم", "الكنية", "المكتب", "الراتب", "العملة", "تاريخ المباشرة"]
ROSTER = [
    ["حسن إبراهيم الجبوري", "أبو علي", "دير الزور", 150, "دولار", datetime(2018, 11, 1)],
    ["خالد بن وليد العبيدي", "أبو الوليد", "دير الزور", 150, "دولار", datetime(2018, 12, 15)],
    ["سمير عبد الله", "أبو محمد", "الرقة", 200, "دولار", datetime(2017, 6, 1)],
    ["عمر فاروق الحمداني", "أبو حفص", "الميادين", 125, "دولار", datetime(2019, 1, 20)],
]

PAYMENTS_HEADER = ["التاريخ", "المستلم", "المبلغ", "العملة", "ملاحظات"]
PAYMENTS = [
    ["2019-02-20", "حسن إبراهيم الجبوري", "1500", "USD", "رواتب دير الزور"],
    ["2019-01-18", "خالد بن وليد العبيدي", "750", "USD", "رواتب"],
    ["2019-03-05", "أبو عمار التميمي", "900", "USD", "مصاريف الميادين"],
    ["2019-03-28", "سمير عبد الله", "450000", "SYP", "إيجار"],
]

EMAILS: list[dict[str, Any]] = [
    {
        "sender": "Abu Ammar al-Nuaimi <nuaimi.office@example.org>",
        "to": "Finance Bureau <bureau.raqqa@example.org>",
        "subject": "طلب تحويل – Transfer request",
        "date": datetime(2019, 3, 2, 9, 30),
        "body": "Please find the transfer request attached.\nمرفق طلب التحويل.\n",
    },
    {
        "sender": "Samir Abdullah <samir.a@example.org>",
        "to": "Abu Yusuf al-Ansari <ansari@example.org>",
        "subject": "Quarterly report",
        "date": datetime(2019, 4, 15, 14, 0),
        "body": "The quarterly report is ready. Payroll totals are in the annex.\n",
    },
    {
        "sender": "Hassan Ibrahim al-Jubouri <hassan.j@example.org>",
        "to": "Abu Ammar al-Nuaimi <nuaimi.office@example.org>",
        "subject": "استلام المبلغ",
        "date": datetime(2019, 2, 21, 8, 15),
        "body": "تم استلام مبلغ ١٥٠٠ دولار. جزاكم الله خيرا.\n",
    },
]
