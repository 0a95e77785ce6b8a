"""Resolve: mentions, record names and correspondence endpoints to entities (people,
organisations, places), with transliteration-aware, name-part-aware matching and analyst
decisions re-applied on every run. Pure code: it never imports ``index``, ``serve`` or
``cli``; the catalogue is passed in as an object with the methods ``run.Store`` names."""
