"""An item page that lists the first few of something says how many there are and where
to see the rest: its exact copies (a logo attached to thousands of e-mails) and the
entities it names (a roster naming thousands), in English and Arabic."""

from __future__ import annotations

from pathlib import Path

from docket.serve.app import create_app
from docket.serve.document import ENTITIES_SHOWN
from docket.serve.queries import DUPLICATES_SHOWN
from tests.serve.conftest import desk_client
from tests.store.named_items import write_case

SHA = "ab" * 32


def test_item_page_counts_every_copy(tmp_path: Path) -> None:
    root = tmp_path / "case"
    root.mkdir()
    cat = write_case(root / "case.db", [[] for _ in range(DUPLICATES_SHOWN + 30)])
    with cat.db:
        cat.db.execute("UPDATE items SET sha256 = ?, size = 10, type = 'text'", (SHA,))
    cat.close()
    client = desk_client(create_app(root))
    page = client.get("/item/i00000", params={"lang": "en"}).text
    # the other copies in processing order: i00001 to i00100 listed, the rest counted
    assert 'href="/item/i00100"' in page and 'href="/item/i00101"' not in page
    assert f"The first {DUPLICATES_SHOWN} of {DUPLICATES_SHOWN + 29} copies are listed" in page
    assert 'href="/duplicates"' in page
    ar = client.get("/item/i00000", params={"lang": "ar"}).text
    assert f"تُعرض أول {DUPLICATES_SHOWN} من {DUPLICATES_SHOWN + 29} نسخة" in ar


def test_item_page_counts_every_entity_it_names(tmp_path: Path) -> None:
    root = tmp_path / "case"
    root.mkdir()
    names = [f"n{i:04d}" for i in range(ENTITIES_SHOWN + 7)]
    write_case(root / "case.db", [names, names[:3]]).close()
    client = desk_client(create_app(root))
    page = client.get("/item/i00000", params={"lang": "en"}).text
    assert page.count('class="ent ent-person" href="/person/p-n') == ENTITIES_SHOWN
    assert f"The {ENTITIES_SHOWN} most mentioned of {ENTITIES_SHOWN + 7}" in page
    ar = client.get("/item/i00000", params={"lang": "ar"}).text
    assert f"الأكثر ذكراً {ENTITIES_SHOWN} من أصل {ENTITIES_SHOWN + 7}" in ar
    other = client.get("/item/i00001", params={"lang": "en"}).text
    assert 'id="entities-more"' not in other
