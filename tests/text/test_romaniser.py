"""The romaniser Docket runs (``docket.text.xscript_roman``): the package's model on one
ONNX Runtime thread, giving the spellings the package's own default gives."""

from __future__ import annotations

from arabic_name_romanizer import transliterate

from docket.text import xscript_roman

NAMES = ["محمد", "عبدالله", "الجبوري", "أبو بكر", "خالد", "البغدادي", "فاطمة", "دجانة",
         "السامرائي", "عبد الرحمن", "يوسف", "النعيمي", "زينب", "الرقة"]  # fmt: skip


def test_same_spellings_as_the_package_default() -> None:
    ours = xscript_roman._transliterate()
    for name in NAMES:
        assert str(ours(name)) == str(transliterate(name))
        assert [c.text for c in ours(name, top_k=2)] == [
            c.text for c in transliterate(name, top_k=2)
        ]
        assert xscript_roman.romanise(name) == str(transliterate(name) or "")


def test_the_model_runs_on_one_thread() -> None:
    """Two threads spin between steps: in the enrich stage's single writer that took a
    core from the workers for nothing."""
    model = xscript_roman._transliterate().__self__.model
    for session in (model.backend.encoder, model.backend.decoder):
        assert session.get_session_options().intra_op_num_threads == 1
