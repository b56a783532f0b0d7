"""A whole user study in Chromium against the served app (``python app.py --study``), on SQLite and PostgreSQL.

Two participants (balanced assignment: one per condition, "all inputs" and "text only") go through
consent, background, task, questionnaire and completion; one reloads mid-task. The exports from the
admin view must hold every action and every list each saw, in order, under the right participant and
condition. A SIGKILL of the server mid-study loses nothing the page had shown, and the participant
resumes after the restart. A within-subject participant gets both conditions, each with its own inputs,
in the order assigned. Run with ``pytest --slow tests/test_study_browser.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from mmrec.bench.ui import free_port, start_app, stop_app
from tests.study_support import fresh_postgres_database, postgres_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
TOKEN = "admin-test-token-5f1c"
TIMEOUT = 120_000
CSP_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"""
STUDY = {
    "title": "Browser study",
    "platform_param": "PROLIFIC_PID",
    "background": [{"id": "age", "text": "How old are you?", "type": "number", "required": True}],
    "task": {"text": "Find a jacket you like.", "min_interactions": 2},
    "conditions": [
        {"name": "all inputs", "inputs": ["text", "voice", "photo", "list-feedback"]},
        {"name": "text only", "inputs": ["text"], "explanations": False},
    ],
    "assignment": {"method": "balanced", "seed": 1},
    "attention_checks": [{"id": "attention_1", "text": "Select 'Strongly disagree'.", "expect": "Strongly disagree"}],
    "completion": {"code": "BROWSER-OK"},
}


@dataclass
class StudyServer:
    url: str
    env: dict[str, str]
    args: tuple[str, ...]
    log: Path
    port: int
    proc: object = None

    def start(self, catalog: Path) -> None:
        self.proc, _ = start_app(catalog, log=self.log, env=self.env, args=self.args, port=self.port)

    def get(self, path: str, token: str | None = TOKEN) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path.lstrip("/"))
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


@dataclass
class Seen:
    """What one participant's page showed: their code, condition (as the page reveals it) and lists by turn."""

    code: str = ""
    condition: str = ""
    lists: dict[int, list[str]] = field(default_factory=dict)
    actions: list[dict] = field(default_factory=list)


def serve_study(spec: dict, folder: Path, catalog: Path, cache_root: Path, db_url: str | None = None) -> StudyServer:
    """``python app.py --study`` serving ``spec`` (its completion redirect pointed at the app itself)."""
    port = free_port()
    study_file = folder / "study.yaml"
    redirect = f"http://127.0.0.1:{port}/admin?cc={{code}}"  # a page of the app itself: no network needed
    study_file.write_text(yaml.safe_dump({**spec, "completion": {**spec["completion"], "redirect": redirect}}))
    env = {"MMREC_CACHE_DIR": str(cache_root), "MMREC_DATA_DIR": str(folder / "data"), "MMREC_ADMIN_TOKEN": TOKEN}
    env["GRADIO_TEMP_DIR"] = str(folder / "uploads")
    if db_url:
        env["MMREC_STUDY_DB"] = db_url
    s = StudyServer(f"http://127.0.0.1:{port}/", env, ("--study", str(study_file)), folder / "app.log", port)
    s.start(catalog)
    return s


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, served_catalog, cache_root, tmp_path_factory) -> Iterator[StudyServer]:
    """The app serving :data:`STUDY` on one backend; the tests below run in order on it (the last kills it)."""
    db_url = None
    if request.param == "postgresql":
        db_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    folder = tmp_path_factory.mktemp(f"study-{request.param}")
    s = serve_study(STUDY, folder, served_catalog, cache_root, db_url)
    s.backend = request.param
    yield s
    if s.proc is not None and s.proc.poll() is None:
        stop_app(s.proc)


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)  # every click waits as long as the explicit waits (a busy machine's first page)
    page.add_init_script(CSP_WATCH)
    return context, page


def shown(page) -> tuple[int, list[str]]:
    page.wait_for_selector("#mm-gallery .mm-grid .mm-card", timeout=TIMEOUT)
    turn = int(page.locator("#mm-gallery [data-turn]").first.get_attribute("data-turn"))
    return turn, page.locator("#mm-gallery .mm-card").evaluate_all("cs => cs.map(c => c.dataset.item)")


def wait_turn(page, turn: int) -> list[str]:
    page.wait_for_selector(f'#mm-gallery [data-turn="{turn}"]', timeout=TIMEOUT)
    return shown(page)[1]


def message(page, box: str) -> str:
    error = page.locator(f"#{box} .mm-error")
    error.wait_for(timeout=TIMEOUT)
    return error.inner_text()


def review(page, seen: Seen, text: str) -> None:
    before = shown(page)[0]
    page.locator("#mm-review textarea").fill(text)
    page.locator("#mm-send-review").click()
    seen.lists[before + 1] = wait_turn(page, before + 1)
    seen.actions.append({"type": "review", "text": text})


def start(page, url: str, pid: str) -> Seen:
    """Consent, background, and the first list of the task."""
    page.goto(f"{url}?PROLIFIC_PID={pid}")
    page.locator("#mm-study-accept").click(timeout=TIMEOUT)
    page.locator("#mm-bg-age input").fill("34", timeout=TIMEOUT)
    page.locator("#mm-study-send-background").click()
    turn, ids = shown(page)
    assert turn == 0
    seen = Seen(code=page.locator("#mm-study-code").first.inner_text(), lists={0: ids})
    tabs = page.locator("#mm-controls button[role=tab]").all_inner_texts()
    seen.condition = "all inputs" if len(tabs) == 3 else "text only"
    return seen


def run_task(page, seen: Seen, *, reload_midway: bool) -> None:
    assert "0 of 2 interactions" in page.locator("#mm-study-progress").inner_text()
    review(page, seen, "a warm waterproof jacket for hiking")
    page.wait_for_selector('#mm-study-progress [data-ready="false"]:has-text("1 of 2")', timeout=TIMEOUT)
    page.locator("#mm-study-finish").click()
    assert "1 more interaction" in message(page, "mm-study-finish-msg")
    if reload_midway:
        page.reload()
        turn, ids = shown(page)
        assert (turn, ids) == (1, seen.lists[1]), "the reload did not resume the same session"
        assert page.locator("#mm-study-code").first.inner_text() == seen.code
    if seen.condition == "all inputs":
        card = page.locator("#mm-gallery .mm-card").nth(2)
        item = card.get_attribute("data-item")
        card.locator('[data-action="like"]').click()
        seen.lists[2] = wait_turn(page, 2)
        seen.actions.append({"type": "like", "item": item})
        assert page.locator("#mm-gallery .mm-reason").count() > 0
        assert page.locator("#mm-like").count() == 1
    else:
        assert page.locator("#mm-tab-voice, #mm-tab-photo, #mm-like, [data-action='like']").count() == 0
        assert page.locator("#mm-controls button[role=tab]").all_inner_texts() == ["✍️ Review"]
        assert page.locator("#mm-gallery .mm-reason, .mm-unavailable").count() == 0
        review(page, seen, "cheaper, and not black")
    page.wait_for_selector('#mm-study-progress [data-ready="true"]', timeout=TIMEOUT)


def finish(page, seen: Seen) -> None:
    page.locator("#mm-study-finish").click()
    page.locator("#mm-study-questionnaire").wait_for(timeout=TIMEOUT)
    page.locator("#mm-study-send-ratings").click()
    assert "Please rate every statement" in message(page, "mm-study-ratings-msg")
    for group in page.locator("#mm-study-questionnaire [id^='mm-q-']").all():
        label = "Strongly disagree" if group.get_attribute("id") == "mm-q-attention_1" else "Agree"
        group.locator(f'input[value="{label}"]').check()
    page.locator("#mm-study-send-ratings").click()
    done = page.locator("#mm-study-done")
    done.wait_for(timeout=TIMEOUT)
    assert "BROWSER-OK" in done.inner_text() and seen.code in done.inner_text()
    assert not page.evaluate("window.__cspViolations"), "the study page broke its own Content-Security-Policy"
    page.wait_for_url(re.compile(r"/admin\?cc=BROWSER-OK$"), timeout=30_000)  # sent on to the platform


def exported(server: StudyServer) -> list[dict]:
    status, body = server.get("/admin/export.csv")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    for row in rows:
        row["payload"] = json.loads(row["payload"])
        row["turn"] = int(row["turn"]) if row["turn"] else None
    return rows


def check_log(rows: list[dict], seen: Seen) -> None:
    """Every list ``seen`` saw and every action it made, in order, under its participant and condition."""
    mine = [r for r in rows if r["participant_id"] == seen.code]
    assert mine and {r["condition"] for r in mine if r["condition"]} == {seen.condition}
    assert [int(r["id"]) for r in mine] == sorted(int(r["id"]) for r in mine)
    kinds = [r["kind"] for r in mine]
    assert kinds[:2] == ["consent", "page_load"] and kinds[-2:] == ["attention_check", "completion"]
    lists = {r["turn"]: [x["id"] for x in r["payload"]["shown"]] for r in mine if r["kind"] == "list_shown"}
    assert lists == seen.lists
    actions = [r["payload"]["record"]["event"] for r in mine if r["kind"] == "interaction"]
    assert [{k: a.get(k) for k in want} for a, want in zip(actions, seen.actions)] == seen.actions
    assert len(actions) == len(seen.actions)
    assert len({r["config_id"] for r in mine if r["kind"] in ("interaction", "list_shown")}) == 1


def test_two_participants_run_the_whole_study_and_the_export_has_everything(browser, server):
    pages = []
    seen = []
    for n in range(2):
        context, page = new_page(browser)
        pages.append((context, page))
        seen.append(start(page, server.url, f"prolific-{n}"))
    assert {s.condition for s in seen} == {"all inputs", "text only"}
    for n, ((_, page), s) in enumerate(zip(pages, seen)):
        run_task(page, s, reload_midway=n == 0)
        page.screenshot(path=str(SHOTS / f"study-{server.backend}-{s.condition.replace(' ', '-')}.png"), full_page=True)
        finish(page, s)
    for context, page in pages:
        assert not page.evaluate("window.__cspViolations")
        context.close()
    rows = exported(server)
    for s in seen:
        check_log(rows, s)
    assert sum(r["kind"] == "reload" for r in rows if r["participant_id"] == seen[0].code) == 1
    assert "prolific-" not in json.dumps(rows)  # the platform id is stored only as a salted hash
    status, body = server.get("/admin/export.jsonl")
    records = [json.loads(line) for line in body.decode().splitlines()]
    assert status == 200 and len(records) == sum(len(s.actions) for s in seen)
    assert all(r["schema"] == "mmrec.turn/1" for r in records)
    status, body = server.get("/admin/export.parquet")
    assert status == 200 and body[:4] == b"PAR1"
    status, body = server.get("/admin")
    assert status == 200 and b"data:image/png;base64" in body and b"100%" in body
    for token in (None, "wrong-token"):
        assert server.get("/admin", token=token)[0] == 403
        assert server.get("/admin/export.csv", token=token)[0] == 403


def test_withdrawal_in_the_page_deletes_the_participant(browser, server):
    context, page = new_page(browser)
    seen = start(page, server.url, "prolific-w")
    page.locator("#mm-study-withdraw").click()
    page.locator("#mm-study-withdraw-code textarea, #mm-study-withdraw-code input").first.fill(seen.code)
    page.locator("#mm-study-withdraw-send").click()
    page.locator("#mm-study-closed").wait_for(timeout=TIMEOUT)
    assert all(r["participant_id"] != seen.code for r in exported(server))
    page.reload()
    page.locator("#mm-study-accept").wait_for(timeout=TIMEOUT)  # the old link no longer resumes anyone
    context.close()


def test_consent_waits_until_the_page_has_read_the_link(browser, server):
    # Agreeing before the page load had run enrolled the participant without the link's platform id, and
    # the load then showed the consent again: the page seemed stuck (a CI run waited 120 s for the form).
    context, page = new_page(browser)
    held = []
    page.route("**/queue/join*", lambda route: held.append(route))  # the page load's event waits here
    page.goto(f"{server.url}?PROLIFIC_PID=prolific-early")
    accept = page.locator("#mm-study-accept")
    accept.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    assert held and accept.is_disabled(), "the consent could be sent before the page had loaded"
    for route in held:
        route.continue_()
    page.unroute("**/queue/join*")
    accept.click(timeout=TIMEOUT)
    page.locator("#mm-bg-age input").wait_for(timeout=TIMEOUT)
    context.close()


def test_sigkill_mid_study_loses_nothing_acknowledged_and_the_participant_resumes(browser, server, served_catalog):
    context, page = new_page(browser)
    seen = start(page, server.url, "prolific-k")
    review(page, seen, "a light rain jacket")
    review(page, seen, "in blue please")
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=30)
    server.start(served_catalog)
    rows = [r for r in exported(server) if r["participant_id"] == seen.code]
    lists = {r["turn"]: [x["id"] for x in r["payload"]["shown"]] for r in rows if r["kind"] == "list_shown"}
    assert lists == seen.lists
    page.reload()
    turn, ids = shown(page)
    assert (turn, ids) == (2, seen.lists[2]), "after the restart the session was not rebuilt as it was"
    assert page.locator("#mm-study-code").first.inner_text() == seen.code
    review(page, seen, "waterproof")
    context.close()


def test_within_subject_runs_each_condition_with_its_own_inputs_in_the_assigned_order(
    browser, served_catalog, cache_root, tmp_path
):
    spec = {
        **STUDY,
        "background": [],
        "task": {"text": "t", "min_interactions": 1},
        "assignment": {"within_subject": True},
    }
    s = serve_study(spec, tmp_path, served_catalog, cache_root)
    try:
        context, page = new_page(browser)
        page.goto(s.url)
        page.locator("#mm-study-accept").click(timeout=TIMEOUT)
        tabs = []
        for part in (1, 2):
            page.wait_for_selector('#mm-gallery [data-turn="0"]', timeout=TIMEOUT)
            assert f"Part {part} of 2" in page.locator("#mm-study-task-info").inner_text()
            tabs.append(len(page.locator("#mm-controls button[role=tab]").all_inner_texts()))
            review(page, Seen(), f"a warm jacket, part {part}")
            page.locator("#mm-study-finish").click()
            page.locator("#mm-study-questionnaire").wait_for(timeout=TIMEOUT)
            for group in page.locator("#mm-study-questionnaire [id^='mm-q-']").all():
                group.locator('input[value="Agree"]').check()
            page.locator("#mm-study-send-ratings").click()
            page.wait_for_selector(f"#mm-study-{'task' if part == 1 else 'done'}", timeout=TIMEOUT)
        assert sorted(tabs) == [1, 3]
        rows = exported(s)
        order = [r["condition"] for r in rows if r["kind"] == "questionnaire"]
        assert order == [("text only" if n == 1 else "all inputs") for n in tabs]
        context.close()
    finally:
        stop_app(s.proc)
