"""Read models shared by the CLI, the web desk, the JSON API and the exports: one shape
for each thing shown (a search hit, an item, …), read through ``docket.case.Case``.

``search`` (hits with snippets), ``item`` (one item in full), ``snippets`` (the marked
window of a hit's original text), ``anchors`` (deep links into a document, as the desk
opens them and the HTML report cites them), ``findings`` (findings, what they cite,
authenticity signals), ``person``, ``network`` and ``timeline``; ``rows`` reads the
catalogue as plain rows for them."""
