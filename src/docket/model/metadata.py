"""The document-property keys every extractor writes, with what each one means.

One vocabulary for every format: a Word file, a workbook, an ODF text and a PDF all say
``printed``, never ``last_printed`` or ``print-date``, so the authenticity signals
(``docket.verify.signals.times``), the desk and the exports read one key. Format-specific
keys (``sheets``, ``streams``, ``gps``…) are documented with their extractor in
docs/formats.md; these are the shared ones.
"""

from __future__ import annotations

from typing import Final

# Who and what made the document.
TITLE: Final = "title"
SUBJECT: Final = "subject"
AUTHOR: Final = "author"
LAST_MODIFIED_BY: Final = "last_modified_by"
PRINTED_BY: Final = "printed_by"
KEYWORDS: Final = "keywords"
DESCRIPTION: Final = "description"
CATEGORY: Final = "category"
LANGUAGE: Final = "language"
TEMPLATE: Final = "template"
APPLICATION: Final = "application"
APPLICATION_VERSION: Final = "application_version"
COMPANY: Final = "company"
MANAGER: Final = "manager"
# Counts the file claims for itself.
REVISION: Final = "revision"
PAGES: Final = "pages"
WORDS: Final = "words"
EDITING_MINUTES: Final = "editing_minutes"
# Times the document claims for itself, as ISO 8601 strings.
CREATED: Final = "created"
MODIFIED: Final = "modified"
PRINTED: Final = "printed"
TAKEN: Final = "taken"
DATE: Final = "date"

KEYS: Final[dict[str, str]] = {
    TITLE: "the title the author gave the document",
    SUBJECT: "the subject property",
    AUTHOR: "who created the document (Office 'creator', ODF 'initial-creator')",
    LAST_MODIFIED_BY: "who saved it last",
    PRINTED_BY: "who printed it last (ODF)",
    KEYWORDS: "the keywords property",
    DESCRIPTION: "the description or comments property",
    CATEGORY: "the category property",
    LANGUAGE: "the language the document declares",
    TEMPLATE: "the template it was made from",
    APPLICATION: "the program that wrote it",
    APPLICATION_VERSION: "that program's version",
    COMPANY: "the company property",
    MANAGER: "the manager property",
    REVISION: "the revision number or editing cycles",
    PAGES: "the page (or slide) count the file declares",
    WORDS: "the word count the file declares",
    EDITING_MINUTES: "total editing time the file declares, in minutes",
    CREATED: "when the document says it was created",
    MODIFIED: "when the document says it was last saved",
    PRINTED: "when the document says it was last printed",
    TAKEN: "when a photograph says it was taken (EXIF)",
    DATE: "the date a message or calendar entry carries",
}

# The keys holding times a document claims for itself: what the time signals compare.
EMBEDDED_TIMES: Final = (CREATED, MODIFIED, PRINTED, TAKEN, DATE)
