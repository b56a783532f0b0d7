"""Shared pieces of the study tests: a real PostgreSQL server, store URLs for both backends, turn records."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """``MMREC_TEST_POSTGRES_URL``, else a throwaway cluster on 127.0.0.1 (skipped without binaries, except in CI)."""
    if os.environ.get("MMREC_TEST_POSTGRES_URL"):
        yield os.environ["MMREC_TEST_POSTGRES_URL"].rstrip("/")
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        message = "PostgreSQL binaries not found (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="mmrec-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on"
    subprocess.run(
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), check=False)
        shutil.rmtree(root, ignore_errors=True)


def fresh_postgres_database(server: str) -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    name = "mmrec_test_" + secrets.token_hex(4)
    with psycopg.connect(server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'study.sqlite'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_server"))


def record(turn: int, shown: list[str], event: dict[str, Any], *, config_id: str = "cfg-a") -> dict[str, Any]:
    """A synthetic turn record in the core's shape."""
    return {
        "schema": 1,
        "session": "s1",
        "turn": turn,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "event": event,
        "understood": {"action": event["type"]},
        "config_id": config_id,
        "encoders": {"text": "minilm"},
        "shown": [
            {"id": i, "score": 1.0 - p / 10, "features": {"text": 0.5}, "contributions": {"text": 0.5}, "reason": "r"}
            for p, i in enumerate(shown)
        ],
        "latency_ms": 12.5,
        "error": None,
    }


def session_record(session: Any, turn: Any, config_id: str) -> dict[str, Any]:
    """A turn record from today's ``mmrec.Session`` (``turn.to_dict()`` plus the fields the core will add)."""
    d = turn.to_dict()
    return {
        "schema": 1,
        "session": session.id,
        "turn": turn.turn,
        "at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "event": turn.event,
        "understood": d.get("understood", {}),
        "config_id": config_id,
        "encoders": {m: s.encoder.name for m, s in session.engine.modalities.items()},
        "shown": [
            {
                "id": r["id"],
                "score": r["score"],
                "features": r["contributions"],
                "contributions": r["contributions"],
                "reason": r["reason"],
            }
            for r in d.get("ranked", [])
        ],  # fmt: skip
        "latency_ms": round(turn.seconds * 1000, 3),
        "error": turn.error,
    }
