"""The headless session CLI as an external script uses it: a subprocess, JSON lines both ways."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(args: list[str], lines: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mmrec", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "MMREC_IMAGE": "off", "MMREC_SPEECH": "off", "HF_HUB_OFFLINE": "1", **env},
    )


def test_session_cli_answers_each_line_and_survives_bad_ones(luma_mini_dir, tmp_path):
    p = run_cli(
        ["session", "--catalog", str(luma_mini_dir), "--top", "4"],
        [
            json.dumps({"type": "review", "text": "a light tee for hot summer runs"}),
            "{broken",
            json.dumps({"type": "photo", "image": "/nope.jpg"}),
            json.dumps({"type": "reset"}),
        ],
    )
    assert p.returncode == 0, p.stderr
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert [o["turn"] for o in out] == [1, 2, 3, 4]
    assert len(out[0]["ranked"]) == 4 and "sentiment" in out[0]["understood"]
    assert "not valid JSON" in out[1]["error"]
    assert "photo input is unavailable" in out[2]["error"]
    assert out[3]["understood"] == {"action": "reset"}


def test_session_cli_reports_a_missing_catalog_clearly(tmp_path):
    p = run_cli(["session", "--catalog", str(tmp_path / "none")], [])
    assert p.returncode == 2
    assert "does not exist" in p.stderr and "Traceback" not in p.stderr


def test_status_of_a_tiny_catalog_lists_its_issues(tiny_catalog_dir, tmp_path):
    photos_without_clip = {"MMREC_IMAGE": "on", "MMREC_CLIP": "off", "MMREC_CACHE_DIR": str(tmp_path / "cache")}
    p = run_cli(["status", "--catalog", str(tiny_catalog_dir)], [], **photos_without_clip)
    assert p.returncode == 0, p.stderr
    issue = "line 5 (cap): image cap.jpg is missing; loaded without image"
    assert json.loads(p.stdout)["catalog"] == {"name": "catalog", "items": 5, "issues": [issue]}
    assert f"catalog: {issue}" in p.stderr and "not fitted" in json.loads(p.stdout)["image"]


def test_session_cli_answers_hostile_lines_and_keeps_the_profile(demo_catalog_dir):
    liked = "t-shirt-black-organic-cotton-01"
    lines = [
        json.dumps({"type": "like", "item": liked}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"type": "review", "text": "caf\xe9 \xff\xfe jacket"}',
        b'{"type": "review", "text": "nice \\ud800 bag"}',
        b'{"type": "review", "text": "' + b"a" * 2_000_000 + b'"}',
        json.dumps({"type": "review", "text": "a black organic cotton t-shirt"}).encode(),
    ]
    p = subprocess.run(
        [sys.executable, "-m", "mmrec", "session", "--catalog", str(demo_catalog_dir), "--no-image", "--no-speech"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8", "HF_HUB_OFFLINE": "1"},
    )
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    out = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    assert [o["turn"] for o in out] == [1, 2, 3, 4, 5, 6, 7]
    assert "error" not in out[0]
    assert out[1]["error"].startswith("interaction is nested too deeply")
    assert out[2]["error"].startswith("interaction is nested too deeply")
    assert out[3]["error"].startswith("line is not valid UTF-8 text")
    assert "invalid characters" in out[4]["error"]
    assert out[5]["error"].startswith("the line is longer than 1000000 bytes")
    reasons = [r["reason"] for r in out[6]["ranked"]]
    assert any("which you liked" in r for r in reasons), "the like before the bad lines still counts"
    assert "Traceback" not in p.stderr.decode(errors="replace")
