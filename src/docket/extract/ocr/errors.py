"""The one error OCR raises: a page Tesseract failed on."""

from __future__ import annotations


class OcrError(Exception):
    """Tesseract failed on a page; ``code`` is ``ocr-failed`` or ``timeout``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
