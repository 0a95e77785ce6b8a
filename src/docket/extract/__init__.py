"""Extract: detect an item's type by content and turn it into text, metadata and children.

Extractors write only to a :class:`~docket.extract.sink.Sink`; they never touch the
catalogue, the index or the case layout.
"""
