"""Exports: JSON Lines order and attribution, CSV formula neutralising, Parquet, no-free-text, the CLI."""

import csv
import json

import pyarrow.parquet as pq
import pytest

from mmrec.study.cli import main
from mmrec.study.export import export, neutralise, scrub
from mmrec.study.spec import load_study
from mmrec.study.store import open_store
from tests.study_support import postgres_server, record, store_url  # noqa: F401  (fixtures)
from tests.test_study_spec import EXAMPLE


@pytest.fixture
def two_participants(store_url, tmp_path):  # noqa: F811
    study = load_study(EXAMPLE)
    store = open_store(store_url, directory=tmp_path)
    sid = store.register(study, {})
    a, b = store.enroll(sid, study), store.enroll(sid, study)
    assert {a.conditions[0], b.conditions[0]} == {"all inputs", "text only"}
    for turn in (1, 2, 3):  # interleaved, as simultaneous participants are
        store.log_turn(
            a.participant, a.conditions[0], record(turn, [f"a{turn}", "x"], {"type": "review", "text": f"=cmd a{turn}"})
        )
        store.log_turn(
            b.participant,
            b.conditions[0],
            record(turn, [f"b{turn}"], {"type": "like", "item": f"b{turn}"}, config_id="cfg-b"),
        )
    yield store, a, b
    store.close()


def test_jsonl_has_each_participants_turns_in_order_and_attributed(two_participants, tmp_path):
    store, a, b = two_participants
    out = tmp_path / "log.jsonl"
    assert export(store, "jsonl", out) == 6
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    for p in (a, b):
        mine = [r for r in lines if r["participant"] == p.participant]
        assert [r["turn"] for r in mine] == [1, 2, 3]
        assert {r["condition"] for r in mine} == {p.conditions[0]}
        prefix = "a" if p is a else "b"
        assert [r["shown"][0]["id"] for r in mine] == [f"{prefix}{t}" for t in (1, 2, 3)]
    by_participant = [r["participant"] for r in lines]
    assert by_participant == sorted(by_participant)


def test_csv_neutralises_formulas_and_can_drop_free_text(two_participants, tmp_path):
    store, a, _ = two_participants
    out = tmp_path / "log.csv"
    export(store, "csv", out)
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2 + 12 and {r["kind"] for r in rows} == {"consent", "interaction", "list_shown"}
    assert "=cmd a1" in out.read_text()
    export(store, "csv", out, free_text=False)
    assert "=cmd" not in out.read_text()


@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx"])
def test_formula_cells_get_a_leading_quote(cell):
    assert neutralise(cell) == "'" + cell
    assert neutralise("plain") == "plain" and neutralise(3) == 3


def test_scrub_drops_free_text_everywhere():
    payload = {"record": {"event": {"type": "review", "text": "my words"}, "understood": {"transcript": "said"},
               "shown": [{"id": "a", "reason": "your review “my words”"}]},
               "answers": [{"id": "hobby", "type": "text", "value": "secret"}, {"id": "age", "type": "number", "value": 30}]}  # fmt: skip
    clean = json.dumps(scrub(payload))
    assert "my words" not in clean and "said" not in clean and "secret" not in clean and "30" in clean


def test_parquet_and_cli(two_participants, tmp_path, store_url):  # noqa: F811
    out = tmp_path / "log.parquet"
    assert main(["study", "export", "--db", store_url, "--format", "parquet", "--out", str(out), "--no-free-text"]) == 0
    table = pq.read_table(out)
    assert table.num_rows == 14 and "=cmd" not in str(table.column("payload").to_pylist())
