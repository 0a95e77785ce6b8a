"""A catalogue of items naming people, written straight into the tables (items,
mentions, entities, entity_members) as the extraction and resolution stages leave them,
quick enough for thousands of items."""

from __future__ import annotations

from pathlib import Path

from docket.store.catalogue import Catalogue


def write_case(path: Path, items: list[list[str]]) -> Catalogue:
    """Items ``i00000``, ``i00001``… each naming the people listed (one person mention
    each, ``p-<name>`` the person resolved from it); no links are counted."""
    cat = Catalogue(path, create=True)
    db = cat.db
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO items (id, path, name, depth, status) VALUES (?, ?, ?, 0, 'ok')",
        [(f"i{n:05d}", f'["i{n:05d}.txt"]', f"i{n:05d}.txt") for n in range(len(items))],
    )
    mentions: list[tuple[int, str, str]] = []
    members: list[tuple[str, str]] = []
    for n, names in enumerate(items):
        for name in names:
            mentions.append((len(mentions) + 1, f"i{n:05d}", name))
            members.append((f"p-{name}", f"mention:{len(mentions)}"))
    db.executemany(
        'INSERT INTO mentions (id, item_id, segment, start, "end", kind, text, value, method) '
        "VALUES (?, ?, 0, 0, 1, 'person', ?, ?, 'test')",
        [(i, item, name, name) for i, item, name in mentions],
    )
    db.executemany("INSERT INTO entity_members VALUES (?, ?)", members)
    db.executemany(
        "INSERT INTO entities VALUES (?, 'person', ?, '[]', 0, NULL)",
        [(f"p-{name}", name) for name in sorted({m[2] for m in mentions})],
    )
    db.execute("COMMIT")
    return cat
