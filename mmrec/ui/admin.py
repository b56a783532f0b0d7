"""The researcher's admin view of a running study, behind ``MMREC_ADMIN_TOKEN`` (no token set: no admin view).

``/admin`` asks for the token once and keeps a session cookie (HttpOnly, SameSite=Strict, for /admin only);
scripts may send ``Authorization: Bearer <token>`` instead. It shows progress per condition, completion and
attention-check pass rates and the analysis plots, and streams exports: ``/admin/export.csv`` (``.jsonl``,
``.parquet``; ``?free_text=0`` leaves out what participants wrote or said). Anyone else gets 403.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from ..study.analysis import percent, plot, summarize
from ..study.export import FORMATS, export
from ..study.participation import StudyRun
from .render import esc

COOKIE = "mmrec_admin"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 10px;text-align:left}}
img{{max-width:100%;margin:1em 0;border:1px solid #eee}}.error{{color:#b00020}}</style></head><body>{body}</body></html>"""
MEDIA_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


def admin_token() -> str | None:
    """``MMREC_ADMIN_TOKEN``; None (admin view off) when unset or empty."""
    return os.environ.get("MMREC_ADMIN_TOKEN") or None


def admin_routes(app: FastAPI, run: StudyRun, token: str) -> None:
    """Add the admin pages of ``run`` to ``app``, open only to a request that shows ``token``."""
    cookie_value = hashlib.sha256(b"mmrec-admin:" + token.encode() + run.store.salt()).hexdigest()

    def allowed(request: Request) -> bool:
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:].encode(), token.encode()):
            return True
        return hmac.compare_digest(request.cookies.get(COOKIE, "").encode(), cookie_value.encode())

    def page(body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(PAGE.format(title=f"Admin: {esc(run.study.title)}", body=body), status_code=status)

    def login(note: str = "", status: int = 403) -> HTMLResponse:
        error = f'<p class="error">{esc(note)}</p>' if note else ""
        form = (
            '<form method="post" action="/admin"><label>Admin token <input type="password" name="token" '
            'autocomplete="current-password" required></label> <button>Open</button></form>'
        )
        return page(f"<h1>Study admin</h1>{error}{form}", status)

    @app.get("/admin")
    def dashboard(request: Request) -> HTMLResponse:
        if not allowed(request):
            return login()
        return page(_dashboard(run))

    @app.post("/admin")
    async def sign_in(request: Request) -> Response:
        form = await request.form()
        given = str(form.get("token", ""))
        if not hmac.compare_digest(given.encode(), token.encode()):
            return login("Wrong token.")
        answer = RedirectResponse("/admin", status_code=303)
        answer.set_cookie(
            COOKIE,
            cookie_value,
            httponly=True,
            samesite="strict",
            path="/admin",
            secure=request.url.scheme == "https",
        )
        return answer

    @app.get("/admin/export.{fmt}")
    def download(fmt: str, request: Request, free_text: int = 1) -> Response:
        if not allowed(request):
            return login()
        if fmt not in FORMATS:
            return page(f"<p>Unknown export format; valid: {', '.join(FORMATS)}</p>", 404)
        handle, name = tempfile.mkstemp(suffix=f".{fmt}")
        os.close(handle)
        out = Path(name)
        export(run.store, fmt, out, free_text=bool(free_text))
        return FileResponse(
            out,
            media_type=MEDIA_TYPES[fmt],
            filename=f"study-{run.id}.{fmt}",
            background=BackgroundTask(out.unlink, missing_ok=True),
        )


def _dashboard(run: StudyRun) -> str:
    summary = summarize(run.store, run.study)
    rows = "".join(
        f"<tr><td>{esc(name)}</td>"
        + "".join(f"<td>{summary['progress'][name].get(s, 0)}</td>" for s in ("consented", "active", "completed"))
        + f"<td>{percent(summary['completion_rate'][name])}</td><td>{percent(summary['attention_pass_rate'][name])}</td></tr>"
        for name in summary["conditions"]
    )
    table = (
        '<table id="progress"><tr><th>condition</th><th>consented</th><th>active</th><th>completed</th>'
        f"<th>completion rate</th><th>attention checks passed</th></tr>{rows}</table>"
    )
    exports = " · ".join(
        f'<a href="/admin/export.{f}">{f.upper()}</a> (<a href="/admin/export.{f}?free_text=0">without free text</a>)'
        for f in FORMATS
    )
    with tempfile.TemporaryDirectory() as tmp:
        images = "".join(
            f'<img alt="{esc(path.stem)}" src="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}">'
            for path in plot(summary, Path(tmp))
        )
    return (
        f"<h1>{esc(run.study.title)}</h1><p>{summary['participants']} participants, "
        f"{summary['withdrawn']} withdrawn.</p>{table}<h2>Exports</h2><p>{exports}</p><h2>Analysis</h2>{images}"
    )
