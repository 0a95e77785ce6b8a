"""Personal names: one lexicon (``lexicon``), one folding of Latin spellings
(``folding``) and one parser (``parser``) that splits a name into typed parts
(``NameParts``: titles, kunya, ism, nasab, nisba), for a name written on its own
(``parse``, either script) or inside running Arabic text (``read_chain``)."""
