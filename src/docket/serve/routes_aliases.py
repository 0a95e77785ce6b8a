"""The analyst's verdict on an alias link, from a person's page: confirm or reject, kept
and re-applied on every run (``docket.resolve.aliases.decide``), logged in the custody
log as ``docket alias confirm|reject`` logs it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse

from docket.serve.app import DeskDep, check_nonce
from docket.views.aliases import links

router = APIRouter()


# The form's nonce is checked first (``check_nonce``): another site cannot post.
@router.post("/alias/{link_id}/{verdict}", dependencies=[Depends(check_nonce)])
def alias_verdict(
    desk: DeskDep, link_id: str, verdict: str, entity: str = Form("")
) -> RedirectResponse:
    from docket.resolve.aliases import decide

    if verdict not in ("confirm", "reject"):
        raise HTTPException(404, "no such verdict")
    case = desk.case()
    if not links(case.catalogue.db, ids=[link_id]):
        raise HTTPException(404, "no such alias link")
    decision = decide(case.catalogue, link_id, verdict, actor="desk")
    (row,) = links(case.catalogue.db, ids=[link_id])
    case.log("alias-decision", link=link_id, verdict=verdict, decision=decision,
             name=row["name"], alias=row["alias"])  # fmt: skip
    # Back to the person's page: the entity holding the name now (a join renames it).
    target = row["name_entity"] or row["alias_entity"] or entity
    return RedirectResponse(f"/person/{target}#aliases", status_code=303)
