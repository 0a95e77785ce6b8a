"""Who is making the current request, when the desk runs behind logins (``server_mode``
sets it for each request); None on the one-analyst desk. Findings are signed with it."""

from __future__ import annotations

from contextvars import ContextVar

# Starlette runs sync routes in a thread pool with a copy of the request's context, so a
# value set by the login layer before the desk runs is seen by the route.
current_actor: ContextVar[str | None] = ContextVar("docket_actor", default=None)
