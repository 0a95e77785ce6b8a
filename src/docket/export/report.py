"""The findings report: one self-contained HTML file (inline CSS, no script, no external
resource) in which every claim links to its sources — item id, path, SHA-256, the page or
row cited and the quoted words — and, when Chromium is installed, a PDF printed from it."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docket import __version__
from docket.case import Case
from docket.views import anchors
from docket.views.findings import entity_names, items_brief, signals
from docket.views.findings import findings as all_findings

CSS = """
body{font:14px/1.5 "DejaVu Sans",sans-serif;color:#1d232a;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc}
.finding{margin-bottom:1.5rem}.cite{margin:.3rem 0;padding:.3rem .6rem;background:#f4f6f8}
code{font-size:.8rem;word-break:break-all}blockquote{margin:.3rem 0;padding-inline-start:.8rem;border-inline-start:3px solid #ccc}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:start;vertical-align:top}
.caveat{background:#fff6dd;padding:.5rem .8rem}.muted{color:#5b6673}
"""
NO_CHROMIUM = "Chromium is not installed: the PDF needs `chromium` (scripts/system-deps.sh)"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def build_report(case: Case, title: str = "Findings", seal: dict[str, Any] | None = None) -> str:
    """The report as one HTML string; document text in it is escaped, never markup.
    ``seal`` (read by ``docket.verify.seal.read_seal``) is shown, checked and embedded."""
    findings = all_findings(case)
    ids = sorted({c["item"] for f in findings for c in f["cites"] if c.get("item")})
    items = items_brief(case, ids)
    ent_ids = sorted({c["entity"] for f in findings for c in f["cites"] if c.get("entity")})
    ents = entity_names(case, ent_ids)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # The report may be opened anywhere: it must never fetch or run anything.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">Case {_e(case.root.name)} · generated {_e(now)} by Docket {_e(__version__)} · '
        f"{len(findings)} finding(s) citing {len(ids)} item(s)</p>",
    ]
    if not findings:
        parts.append("<p>No findings have been recorded in this case.</p>")
    for f in findings:
        parts.append(
            f'<section class="finding" id="finding-{f["id"]}"><h2 dir="auto">{_e(f["title"])}</h2>'
        )
        parts.append(
            f'<p class="muted">{_e(f["time"])}{" · " + _e(", ".join(f["tags"])) if f["tags"] else ""}</p>'
        )
        if f.get("note"):
            parts.append(f'<p dir="auto">{_e(f["note"])}</p>')
        for c in f["cites"]:
            at = anchors.for_cite(case, c) if c.get("item") else None
            parts.append(_cite(c, items.get(c.get("item", "")), ents, at))
        parts.append("</section>")
    parts.append(_signals(case))
    parts.append(
        '<h2 id="sources">Sources</h2><table><tr><th>item</th><th>path</th><th>SHA-256</th><th>size</th><th>status</th></tr>'
    )
    for item_id in ids:
        it = items.get(item_id)
        if it:
            parts.append(
                f'<tr id="src-{_e(item_id)}"><td><code>{_e(item_id)}</code></td><td dir="auto">{_e(" › ".join(it["path"]))}</td>'
                f"<td><code>{_e(it['sha256'])}</code></td><td>{_e(it['size'])}</td><td>{_e(it['status'])}</td></tr>"
            )
    parts.append(
        '</table><p class="muted">Each source can be checked with '
        "<code>docket show ID --case CASE</code> and its bytes with <code>sha256sum</code>; "
        "<code>docket verify</code> re-hashes every original and checks the custody log.</p>"
    )
    parts.append(_custody(case, seal))
    parts.append("</body></html>")
    return "\n".join(parts)


def _custody(case: Case, seal: dict[str, Any] | None) -> str:
    """The custody chain's head as the report was made, and the seal it was checked
    against: what lets a reader later prove the case behind the report was not rewritten."""
    log = case.custody
    parts = [
        '<h2 id="custody">Custody</h2>',
        f"<p>Case id <code>{_e(case.case_id or 'none')}</code>; custody chain head when this "
        f"report was made: line {log.seq}, SHA-256 <code>{_e(log.head)}</code>.</p>",
    ]
    if seal is None:
        parts.append(
            '<p class="muted">No seal was given (<code>docket export report --seal FILE</code>).</p>'
        )
        return "\n".join(parts)
    from docket.verify.seal import check_seal, dump_seal

    check = check_seal(case, seal)
    head = seal["head"]
    verdict = (
        "the case extends the sealed chain"
        if check.ok
        else "the case does NOT extend the sealed chain: "
        + "; ".join(f"{p.code}: {p.detail}" for p in check.problems)
    )
    timestamp = seal.get("timestamp") or seal.get("timestamp_note") or "none"
    parts.append(
        f'<table id="seal"><tr><th>sealed case</th><td><code>{_e(seal["case_id"])}</code></td></tr>'
        f"<tr><th>sealed head</th><td>line {_e(head['seq'])}, SHA-256 <code>{_e(head['hash'])}</code></td></tr>"
        f"<tr><th>sealed at</th><td>{_e(seal.get('time'))} ({_e(seal.get('items'))} items, Docket {_e(seal.get('docket'))})</td></tr>"
        f"<tr><th>key fingerprint</th><td><code>{_e(check.fingerprint)}</code></td></tr>"
        f"<tr><th>timestamp</th><td>{_e(timestamp if isinstance(timestamp, str) else 'RFC 3161 token')}</td></tr>"
        f"<tr><th>checked</th><td>{_e(verdict)}</td></tr></table>"
    )
    parts.append(
        '<p class="muted">The seal, verbatim (check it with <code>docket verify --seal FILE</code>):</p>'
        f"<pre>{_e(dump_seal(seal))}</pre>"
    )
    return "\n".join(parts)


def _cite(
    c: dict[str, Any],
    it: dict[str, Any] | None,
    ents: dict[str, dict[str, Any]],
    at: str | None = None,
) -> str:
    item_id = c.get("item", "")
    where = []
    for key in ("page", "sheet", "row"):
        if c.get(key) is not None:
            where.append(f"{key} {_e(c[key])}")
    if c.get("entity"):
        name = ents.get(c["entity"], {}).get("name") or c["entity"]
        where.append(f"entity {_e(name)} (<code>{_e(c['entity'])}</code>)")
    path = " › ".join(it["path"]) if it else "(item no longer in the catalogue)"
    sha = it["sha256"] if it else ""
    out = [
        f'<div class="cite">Source: <a href="#src-{_e(item_id)}"><code>{_e(item_id)}</code></a> '
        f'<span dir="auto">{_e(path)}</span> · SHA-256 <code>{_e(sha)}</code>'
        + (" · " + ", ".join(where) if where else "")
        # Where the desk shows the cited row or page, as text: the file is read away
        # from any desk, where a link would lead nowhere.
        + (f" · desk <code>{_e(anchors.href(item_id, at))}</code>" if at else "")
    ]
    if c.get("quote"):
        out.append(f'<blockquote dir="auto">{_e(c["quote"])}</blockquote>')
    out.append("</div>")
    return "".join(out)


def _signals(case: Case) -> str:
    rows = signals(case)
    if not rows:
        return '<h2>Authenticity signals</h2><p class="muted">No authenticity signals have been computed for this case.</p>'
    counts: dict[tuple[str, str], int] = {}
    for s in rows:
        counts[(s["severity"], s["kind"])] = counts.get((s["severity"], s["kind"]), 0) + 1
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}
    body = "".join(
        f"<tr><td>{_e(sev)}</td><td><code>{_e(kind)}</code></td><td>{n}</td></tr>"
        for (sev, kind), n in sorted(counts.items(), key=lambda x: (order.get(x[0][0], 9), x[0][1]))
    )
    return (
        "<h2>Authenticity signals</h2>"
        '<p class="caveat">Caveat: signals are automated leads for an analyst to examine '
        "(metadata inconsistencies, type mismatches, near-duplicates). They are not proof that "
        "a document is forged or genuine.</p>"
        f"<table><tr><th>severity</th><th>signal</th><th>items</th></tr>{body}</table>"
    )


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(report_html: str, target: Path, timeout: float = 120) -> None:
    """Print the report to PDF with headless Chromium; RuntimeError when that fails."""
    exe = chromium()
    if exe is None:
        raise RuntimeError(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="docket-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_html, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target.resolve()}",
            page.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not target.exists():
            raise RuntimeError(f"chromium could not print the report: {proc.stderr[-500:]}")
