"""GEXF 1.3 (Gephi): people and organisations as nodes; correspondence, payments and
co-occurrence in one document as edges, weighted by how often they happen. Co-occurrence
is the desk's count (``docket.views.network``), so Gephi and the desk agree."""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import quoteattr

from docket.export.graph import CaseGraph

NODE_TYPES = ("person", "org")


def edges(graph: CaseGraph) -> Counter[tuple[str, str, str]]:
    """(source, target, kind) -> weight; co-occurrence edges are sorted pairs."""
    out: Counter[tuple[str, str, str]] = Counter()
    nodes = {e for e, v in graph.entities.items() if v["type"] in NODE_TYPES}
    for x in graph.letters:
        s, t = x["source_entity"], x["target_entity"]
        if s in nodes and t in nodes and s != t:
            out[(s, t, "correspondence")] += 1
    for p in graph.payments:
        s, t = p["payer_entity"], p["payee_entity"]
        if s in nodes and t in nodes and s != t:
            out[(s, t, "payment")] += 1
    for a, b, weight in graph.cooccurrence:
        if a in nodes and b in nodes:
            out[(a, b, "cooccurrence")] = weight
    return out


def _aliases(graph: CaseGraph, entity_id: str) -> str:
    """A node's aliases (confirmed) and possible aliases, "; "-joined, as attributes."""
    found = graph.aliases.get(entity_id, {})
    return "".join(
        f'<attvalue for="{key}" value={quoteattr("; ".join(found[prop]))}/>'
        for key, prop in (("aliases", "alias"), ("weak_aliases", "weakAlias"))
        if found.get(prop)
    )


def write_gexf(graph: CaseGraph) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
        "  <meta><creator>Docket</creator></meta>",
        '  <graph defaultedgetype="directed" mode="static">',
        '    <attributes class="node"><attribute id="type" title="type" type="string"/>'
        '<attribute id="mentions" title="mentions" type="integer"/>'
        '<attribute id="aliases" title="aliases" type="string"/>'
        '<attribute id="weak_aliases" title="possible aliases" type="string"/></attributes>',
        '    <attributes class="edge"><attribute id="kind" title="kind" type="string"/></attributes>',
        "    <nodes>",
    ]
    for e in graph.entities.values():
        if e["type"] not in NODE_TYPES:
            continue
        lines.append(
            f"      <node id={quoteattr(e['id'])} label={quoteattr(e['name'])}><attvalues>"
            f'<attvalue for="type" value={quoteattr(e["type"])}/>'
            f'<attvalue for="mentions" value="{int(e["mentions"])}"/>{_aliases(graph, e["id"])}'
            "</attvalues></node>"
        )
    lines.append("    </nodes>\n    <edges>")
    for n, ((s, t, kind), weight) in enumerate(sorted(edges(graph).items())):
        direction = ' type="undirected"' if kind == "cooccurrence" else ""
        lines.append(
            f'      <edge id="{n}" source={quoteattr(s)} target={quoteattr(t)} '
            f'weight="{weight}"{direction} label="{kind}"><attvalues>'
            f'<attvalue for="kind" value="{kind}"/></attvalues></edge>'
        )
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines)
