"""E-mail headers: the Date the sender's program wrote against the times each server
stamped in its Received line, and the Message-ID's domain against the sender's.

Servers add Received lines on top, so the last one is the first hop. A Date after the
final delivery, or days before the first hop, was not written by the sending program at
send time. Big providers stamp their own domain in Message-IDs (Gmail, Outlook), so those
are not counted as a mismatch.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import parseaddr, parsedate_to_datetime

from docket.verify.signals import ItemView, Signal
from docket.verify.signals._time import parse, stamp

SKEW = timedelta(hours=1)  # clocks of mail clients drift; an hour is generous
HELD = timedelta(days=3)  # an outbox held over a weekend is ordinary
# Providers that write their own domain in the Message-ID of mail from any domain.
PROVIDERS = (
    "gmail.com", "google.com", "outlook.com", "hotmail.com", "yahoo.com", "yahoo.co.uk",
    "mail.ru", "yandex.ru", "icloud.com", "me.com", "zoho.com", "protonmail.ch",
    "protonmail.com", "proton.me", "amazonses.com", "sendgrid.net", "mailchimp.com",
    "mailgun.org", "exchangelabs.com", "qq.com", "163.com", "aol.com", "gmx.net", "web.de",
)  # fmt: skip
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "edu", "ac", "mil", "gob", "or", "ne"}


def registrable(domain: str) -> str:
    """``mail.ministry.gov.iq`` -> ``ministry.gov.iq``: the part an organisation owns."""
    labels = [x for x in domain.lower().strip(". >").split(".") if x]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def received_times(lines: list[str]) -> list[datetime]:
    """Times of the Received lines, top (last hop) first; unparseable lines skipped."""
    out = []
    for line in lines:
        if ";" not in line:
            continue
        try:
            when = parsedate_to_datetime(line.rsplit(";", 1)[1].strip())
        except (TypeError, ValueError, IndexError):
            continue
        if when.tzinfo is not None:
            out.append(when)
    return out


def check(view: ItemView) -> Iterator[Signal]:
    if view.item.get("type") not in ("eml", "emlx", "msg"):
        return
    meta = view.meta
    yield from _dates(view, meta)
    yield from _message_id(view, meta)


def _dates(view: ItemView, meta: dict) -> Iterator[Signal]:
    sent = parse(meta.get("date"))
    hops = received_times(list(meta.get("received") or []))
    if sent is None or not hops:
        return
    evidence = {"date": meta.get("date"), "received": [h.isoformat() for h in hops]}
    last, first = hops[0], hops[-1]
    if sent > last + SKEW:
        yield Signal(
            view.id,
            "email-date-after-received",
            "medium",
            f"Date header {stamp(sent)} is after the final server received it ({stamp(last)})",
            evidence,
        )
    elif sent < first - HELD:
        yield Signal(
            view.id,
            "email-date-before-received",
            "low",
            f"Date header {stamp(sent)} is {(first - sent).days} days before the first server "
            f"handled it ({stamp(first)}): held in an outbox, or the Date was set by hand",
            evidence,
        )
    for upper, lower in itertools.pairwise(hops):
        if lower > upper + SKEW:
            yield Signal(
                view.id,
                "email-received-out-of-order",
                "low",
                f"a server stamped {stamp(lower)}, after the next server's {stamp(upper)}: "
                "the Received chain is out of order",
                evidence,
            )
            break


def _message_id(view: ItemView, meta: dict) -> Iterator[Signal]:
    sender = parseaddr(str(meta.get("from") or ""))[1]
    match = re.search(r"@([^\s>@]+)>?\s*$", str(meta.get("message_id") or ""))
    if "@" not in sender or not match:
        return
    sender_domain = registrable(sender.rsplit("@", 1)[1])
    id_domain = registrable(match.group(1))
    if not id_domain or "." not in id_domain or id_domain == sender_domain:
        return
    if id_domain in PROVIDERS or sender_domain in PROVIDERS:
        return
    yield Signal(
        view.id,
        "email-message-id-domain",
        "low",
        f"the Message-ID was made at {id_domain}, but the sender is at {sender_domain}: "
        "sent through another organisation's server, or the headers were written by hand",
        {"from": meta.get("from"), "message_id": meta.get("message_id")},
    )
