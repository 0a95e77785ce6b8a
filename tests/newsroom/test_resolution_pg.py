"""Resolution on a PostgreSQL catalogue writes what it writes on SQLite, byte for byte:
entities, ids, members, explanations, alias links and co-occurrence links, on the
generated Arabic and English catalogue of ``tests.resolve.generated``."""

from __future__ import annotations

import json
from pathlib import Path

from docket.store.catalogue import Catalogue
from docket.store.postgres import PgCatalogue, create_schema
from tests.resolve import generated
from tests.resolve.test_parity import GOLDEN, resolved


def test_resolution_on_postgres_is_resolution_on_sqlite(tmp_path: Path, pg_url: str) -> None:
    create_schema(pg_url, "case_resolution")
    where = tmp_path / "catalogue.json"
    where.write_text(json.dumps({"database": pg_url, "schema": "case_resolution"}))
    pg = PgCatalogue(where)
    lite = Catalogue(tmp_path / "case.db", create=True)
    on_pg, on_sqlite = resolved(pg), resolved(lite)
    assert on_pg == on_sqlite
    assert generated.digest(on_pg) == GOLDEN
    pg.pg.close()
    lite.close()
