"""Streamed exports of the study log: CSV (formulas neutralised), JSON Lines of turn records, Parquet.

Rows are read in batches (a server-side cursor on PostgreSQL), never whole tables. ``free_text=False``
drops what participants wrote or said: review text, transcripts, explanations quoting them, text answers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import StudyError
from .schema import events
from .store import StudyStore

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = ("id", "participant_id", "condition", "config_id", "kind", "turn", "at", "latency_ms", "payload")
FREE_TEXT_KEYS = frozenset({"text", "transcript", "query_text", "raw", "reason", "speech", "answer"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def export(store: StudyStore, fmt: str, out: Path, *, free_text: bool = True) -> int:
    """Write the log to ``out`` as ``fmt``; return the number of rows (JSON Lines: turn records) written."""
    writers = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}
    if fmt not in writers:
        raise StudyError(f"unknown export format {fmt!r}; valid: {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    return writers[fmt](store, out, free_text)


def event_rows(store: StudyStore, *, free_text: bool = True) -> Iterator[dict[str, Any]]:
    """Every event in order, per participant; payloads scrubbed of free text unless ``free_text``."""
    for row in store.iter_rows(events, order_by=(events.c.participant_id, events.c.id), batch=BATCH):
        if not free_text:
            row["payload"] = scrub(row["payload"])
        yield row


def turn_records(store: StudyStore, *, free_text: bool = True) -> Iterator[dict[str, Any]]:
    """The turn records in order per participant, each with its ``participant`` and ``condition``."""
    for row in event_rows(store, free_text=free_text):
        if row["kind"] in ("interaction", "error") and "record" in row["payload"]:
            yield {**row["payload"]["record"], "participant": row["participant_id"], "condition": row["condition"]}


def scrub(value: Any) -> Any:
    """``value`` without free-text keys (and the value of any ``{"type": "text", "value": ...}`` answer)."""
    if isinstance(value, dict):
        drop = set(FREE_TEXT_KEYS) | ({"value"} if value.get("type") == "text" else set())
        return {k: scrub(v) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def neutralise(cell: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: a leading ``'`` before ``= + - @``, tab or CR."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _cells(row: dict[str, Any]) -> list[Any]:
    return [json.dumps(row[c], ensure_ascii=False) if c == "payload" else row[c] for c in COLUMNS]


def _write_csv(store: StudyStore, out: Path, free_text: bool) -> int:
    n = 0
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for row in event_rows(store, free_text=free_text):
            writer.writerow([neutralise(c) for c in _cells(row)])
            n += 1
    return n


def _write_jsonl(store: StudyStore, out: Path, free_text: bool) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for record in turn_records(store, free_text=free_text):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_parquet(store: StudyStore, out: Path, free_text: bool) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [("id", pa.int64()), ("participant_id", pa.string()), ("condition", pa.string()), ("config_id", pa.string()),
         ("kind", pa.string()), ("turn", pa.int64()), ("at", pa.string()), ("latency_ms", pa.float64()),
         ("payload", pa.string())]
    )  # fmt: skip
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[list[Any]] = []
        for row in event_rows(store, free_text=free_text):
            batch.append(_cells(row))
            if len(batch) == BATCH:
                writer.write_batch(pa.RecordBatch.from_arrays(list(map(list, zip(*batch))), schema=schema))
                n, batch = n + len(batch), []
        if batch:
            writer.write_batch(pa.RecordBatch.from_arrays(list(map(list, zip(*batch))), schema=schema))
            n += len(batch)
    return n
