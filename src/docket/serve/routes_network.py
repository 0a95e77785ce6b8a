"""The network as files: the view on the page — the same filters, nodes, links,
communities and centrality — as GEXF (Gephi) and as a standalone SVG drawing."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from docket.serve import network
from docket.serve.app import DeskDep

router = APIRouter()


def _graph(desk: DeskDep, filters: network.Filters) -> dict[str, Any]:
    return network.desk_graph(desk, desk.case(), filters.clean())


def _attachment(body: bytes, media: str, name: str) -> Response:
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/network/export.gexf")
def export_gexf(desk: DeskDep, filters: Annotated[network.Filters, Depends()]) -> Response:
    return _attachment(gexf(_graph(desk, filters)), "application/gexf+xml", "network.gexf")


@router.get("/network/export.svg")
def export_svg(
    desk: DeskDep, request: Request, filters: Annotated[network.Filters, Depends()]
) -> Response:
    g = _graph(desk, filters)
    body = desk.env.get_template("network.svg").render(graph=g, palette=PALETTE)
    return _attachment(body.encode("utf-8"), "image/svg+xml", "network.svg")


# The community colours of desk.css (.comm-N), for a drawing that leaves the desk.
PALETTE = (
    "#6a2c91", "#0b5cad", "#0f7a55", "#b35c00", "#a3123a",
    "#3c6e71", "#7a5c00", "#5a5a9e", "#8a3b12", "#2f6b2f",
)  # fmt: skip


def gexf(g: dict[str, Any]) -> bytes:
    """GEXF 1.2 of the drawn graph, written by networkx: each node's name, type,
    community, centrality and position; each link's kind and weight."""
    import networkx as nx

    out = nx.MultiGraph()
    for n in g["nodes"]:
        out.add_node(
            n["id"],
            label=n["name"],
            type=n["type"],
            community=n["community"],
            centrality=n["centrality"],
            viz={"position": {"x": float(n["x"]), "y": float(n["y"]), "z": 0.0},
                 "size": float(n["r"])},
        )  # fmt: skip
    for e in g["edges"]:
        out.add_edge(e["a"], e["b"], kind=e["kind"], weight=e["weight"])
    buf = io.BytesIO()
    nx.write_gexf(out, buf, version="1.2draft")
    return buf.getvalue()
