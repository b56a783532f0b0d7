"""SIGKILL a process writing study events: every event whose write call had returned is in the log."""

import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from mmrec.study.schema import events
from mmrec.study.spec import load_study
from mmrec.study.store import open_store
from tests.study_support import postgres_server, store_url  # noqa: F401  (fixtures)
from tests.test_study_spec import EXAMPLE

WRITER = """
import sys
from mmrec.study.store import open_store
store = open_store(sys.argv[1], directory=sys.argv[2])
i = 0
while True:
    store.log_event(sys.argv[3], "interaction", {"i": i}, turn=i)
    print(f"ack {i}", flush=True)
    i += 1
"""


def test_sigkill_loses_no_acknowledged_event(store_url, tmp_path):  # noqa: F811
    study = load_study(EXAMPLE)
    store = open_store(store_url, directory=tmp_path)
    participant = store.enroll(store.register(study, {}), study).participant
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, store_url, str(tmp_path), participant],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    acked = []
    deadline = time.monotonic() + 120
    while len(acked) < 40 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acked.append(int(line.split()[1]))
    child.send_signal(signal.SIGKILL)
    acked += [int(line.split()[1]) for line in child.stdout.read().splitlines() if line.startswith("ack ")]
    child.wait()
    assert len(acked) >= 40, "the writer did not get going"
    with store.engine.connect() as conn:
        logged = {p["i"] for (p,) in conn.execute(sa.select(events.c.payload).where(events.c.kind == "interaction"))}
    store.close()
    assert set(acked) <= logged
