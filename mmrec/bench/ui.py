"""The web app as a user's browser sees it: start-up time and per-action latency (p50/p95).

    python -m mmrec.bench.ui [--catalog DIR] [--runs 10] [--out bench-results/ui.json]

Start-up: from launching ``python app.py`` to the first ranked cards (with their photos) shown in
Chromium. Actions: from the click to the re-ranked list in the page's DOM (timed inside the page), for a typed review, a photo
("More like this"), a voice clip and a like; measured once with photos served by Gradio's file
route and once with photos inlined as data URIs. Needs Playwright and Chromium (``/usr/bin/chromium``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import peak_rss_mb, report, summarize_ms

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("MMREC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_PAGE = "() => document.querySelectorAll('.mm-grid .mm-card').length > 0 && [...document.querySelectorAll('.mm-card img')].every(i => i.complete && i.naturalWidth > 0)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    catalog: Path,
    *,
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float = 900,
    args: tuple[str, ...] = (),
    port: int | None = None,
) -> tuple[subprocess.Popen, str]:
    """``python app.py [args]`` serving ``catalog`` on ``port`` (default: a free one), once it answers HTTP;
    RuntimeError if it does not."""
    port = port or free_port()
    cmd = [sys.executable, str(ROOT / "app.py"), "--catalog", str(catalog), "--port", str(port), "--host", "127.0.0.1"]
    cmd += args
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop_app(proc)
    raise RuntimeError(f"app.py did not serve within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def chromium():
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def measure_startup(browser, catalog: Path, log: Path) -> float:
    """Seconds from launching ``app.py`` to the first cards and their photos on screen."""
    started = time.perf_counter()
    proc, url = start_app(catalog, log=log)
    try:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function(FIRST_PAGE, timeout=120_000)
        seconds = time.perf_counter() - started
        page.close()
        return seconds
    finally:
        stop_app(proc)


CLICK_TO_UPDATE = """async (selector) => {
  const root = document.querySelector('#mm-gallery');
  const turn = () => Number(root.querySelector('[data-turn]')?.dataset.turn);
  const before = turn();
  const t0 = performance.now();
  const updated = new Promise((resolve) => {
    const watcher = new MutationObserver(() => { if (turn() > before) { watcher.disconnect(); resolve(); } });
    watcher.observe(root, {childList: true, subtree: true, attributes: true});
  });
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error('no new list within 120 s')), 120000));
  document.querySelector(selector).click();
  await Promise.race([updated, late]);
  return (performance.now() - t0) / 1000;
}"""
"""Seconds, measured in the page, from a click on ``selector`` to the next turn's list in the DOM."""


def _timed(page, selector: str) -> float:
    return float(page.evaluate(CLICK_TO_UPDATE, selector))


def measure_actions(browser, url: str, runs: int, photos: list[Path], clip: Path | None) -> dict[str, list[float]]:
    """Click-to-updated-list seconds of each action kind, ``runs`` times each after one warm-up."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.wait_for_function(FIRST_PAGE, timeout=120_000)
    times: dict[str, list[float]] = {"page load": [], "review": [], "photo": [], "voice": [], "like": []}
    reviews = [
        "a warm hoodie, not black",
        "cheaper please",
        "something for running",
        "I love bright colours",
        "simple and comfortable",
    ]
    for n in range(runs + 1):
        keep = n > 0
        t0 = time.perf_counter()
        page.reload()
        page.wait_for_function(FIRST_PAGE, timeout=120_000)
        load = time.perf_counter() - t0
        page.get_by_role("tab", name="Review").click()
        page.get_by_label("Your review or request").fill(reviews[n % len(reviews)])
        review = _timed(page, "#mm-send-review")
        like = _timed(page, ".mm-card:nth-child(2) button[data-action=like]")
        if photos:
            page.get_by_role("tab", name="Photo").click()
            page.locator("#mm-photo input[type=file]").set_input_files(str(photos[n % len(photos)]))
            page.locator("#mm-photo img").first.wait_for(timeout=30_000)
            photo = _timed(page, "#mm-more")
        if clip is not None:
            page.get_by_role("tab", name="Voice").click()
            page.locator("#mm-audio button[aria-label='Upload file']").click()
            page.locator("#mm-audio input[type=file]").set_input_files(str(clip))
            page.locator("#mm-audio audio, #mm-audio [data-testid^='waveform']").first.wait_for(state="attached")
            voice = _timed(page, "#mm-send-voice")
        if keep:
            times["page load"].append(load)
            times["review"].append(review)
            times["like"].append(like)
            if photos:
                times["photo"].append(photo)
            if clip is not None:
                times["voice"].append(voice)
    page.close()
    return {k: v for k, v in times.items() if v}


@contextmanager
def served_in_process(engine, *, inline_images: bool):
    """The app for ``engine`` served from this process (so both image modes share one model load)."""
    import threading

    import uvicorn

    from ..ui import web

    port = free_port()
    app = web(engine, host="127.0.0.1", port=port, inline_images=inline_images)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Browser-side start-up time and action latency of the web app.")
    parser.add_argument("--catalog", type=Path, default=ROOT / "assets" / "demo_catalog")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each action (after one warm-up)")
    parser.add_argument("--startup-runs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "ui.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not CHROMIUM.is_file():
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 1
    from ..engine import Engine
    from ..ui.examples import example_photos, example_voices

    log = args.out.with_suffix(".app.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    with chromium() as browser:
        startup = [measure_startup(browser, args.catalog, log) for _ in range(args.startup_runs)]
        rows.append({"what": "start-up to first usable page", "images": "file", **summarize_ms(startup)})
        engine = Engine.load(args.catalog)
        if engine.transcriber is not None:
            engine.transcriber.load()
        photos = [ex.path for ex in example_photos(engine.catalog)] if "image" in engine.modalities else []
        clips = [ex.path for ex in example_voices()]
        speech = engine.status().get("speech")
        clip = clips[0] if clips and speech is not None and speech.available else None
        for inline in (False, True):
            with served_in_process(engine, inline_images=inline) as url:
                for what, seconds in measure_actions(browser, url, args.runs, photos, clip).items():
                    rows.append({"what": what, "images": "data URI" if inline else "file", **summarize_ms(seconds)})
    report("ui", rows, args.out, {"catalog": str(args.catalog), "peak_rss_mb": peak_rss_mb()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
