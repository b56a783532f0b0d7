"""Speech benchmark: accuracy (WER, no-speech) on the voice fixtures and latency per clip length and backend.

    python -m mmrec.bench.speech [--out benchmarks/speech.json] [--runs 5] [--catalog DIR]

Needs espeak-ng and sox (the fixtures are synthesized by assets/voice/make_clips.py). For every backend
that loads: word error rate on clean and noisy clips, star ratings recovered from the transcripts,
whether silence and noise-only clips come back as no speech, p50/p95 latency and real-time factor on
3, 5, 10 and 30 s clips, and peak RSS. Then the end-to-end voice turn: a 5 s clip file through
``Session.submit(Voice(...))`` (decode + transcribe + profile update + re-rank) on ``--catalog``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mmrec.audio import SAMPLE_RATE, duration_s, load_audio, write_wav
from mmrec.bench.common import peak_rss_mb, report, summarize_ms, time_calls
from mmrec.encoders.registry import available_encoders, load_encoder
from mmrec.encoders.transcriber import Transcriber
from mmrec.errors import ModelUnavailableError
from mmrec.runtime_settings import RuntimeSettings
from mmrec.understanding import extract_rating

VOICE_DIR = Path(__file__).resolve().parents[2] / "assets" / "voice"
DEFAULT_CATALOG = Path(__file__).resolve().parents[3] / "shared" / "catalogs" / "luma-mini"
SESSION_CLIP_S = 5
CLIP_SECONDS = (3, 5, 10, 30)
BEAM_SIZES = (1, 5)
_NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation, digits 0-10 spelled out and "3.5" read as "three and a half"."""
    text = text.lower().replace("'", "")
    text = re.sub(r"\b(\d+)\.5\b", r"\1 and a half", text)
    text = re.sub(r"\b(10|\d)\b", lambda m: _NUMBER_WORDS[int(m.group(1))], text)
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference word count) after :func:`normalize_words`."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[:], i
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[-1], len(ref)


def word_error_rate(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Corpus WER: all word errors over all reference words."""
    counts = [word_errors(r, h) for r, h in zip(references, hypotheses, strict=True)]
    return sum(e for e, _ in counts) / max(sum(n for _, n in counts), 1)


def load_clip_spec() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (VOICE_DIR / "clips.jsonl").read_text().splitlines() if line.strip()]


def make_clips(out: Path) -> Path:
    """Synthesize every fixture clip into ``out`` with assets/voice/make_clips.py; raises if it cannot."""
    subprocess.run(
        [sys.executable, str(VOICE_DIR / "make_clips.py"), "--out", str(out)], check=True, capture_output=True
    )
    return out


def accuracy(transcriber: Transcriber, clips_dir: Path) -> dict[str, Any]:
    """WER on clean and noisy speech clips, and the no-speech verdicts, with every transcript."""
    results = []
    for clip in load_clip_spec():
        t = transcriber.transcribe(clips_dir / clip["file"])
        results.append({**clip, "hypothesis": t.text, "no_speech": t.no_speech})
    speech = [r for r in results if r["kind"] == "speech"]
    clean = [r for r in speech if r["noise"] is None]
    noisy = [r for r in speech if r["noise"] is not None]
    return {
        "ratings_clean": _ratings_recovered(clean),
        "ratings_noisy": _ratings_recovered(noisy),
        "wer_clean": round(word_error_rate([r["text"] for r in clean], [r["hypothesis"] for r in clean]), 4),
        "wer_noisy": round(word_error_rate([r["text"] for r in noisy], [r["hypothesis"] for r in noisy]), 4),
        "speech_clips_flagged_no_speech": sum(r["no_speech"] for r in speech),
        "no_speech": {r["file"]: r["no_speech"] for r in results if r["kind"] != "speech"},
        "transcripts": [{k: r[k] for k in ("file", "text", "hypothesis", "no_speech")} for r in results],
    }


def _ratings_recovered(results: list[dict[str, Any]]) -> str:
    rated = [r for r in results if r["rating"] is not None]
    return f"{sum(extract_rating(r['hypothesis']) == r['rating'] for r in rated)}/{len(rated)}"


def long_clips(clips_dir: Path) -> dict[int, np.ndarray]:
    """Speech clips of exactly 3, 5, 10 and 30 s, made by chaining the clean fixture clips."""
    speech = [
        load_audio(clips_dir / c["file"]) for c in load_clip_spec() if c["kind"] == "speech" and c["noise"] is None
    ]
    chain = np.concatenate(speech)
    return {s: chain[: s * SAMPLE_RATE] for s in CLIP_SECONDS}


def latency_rows(transcriber: Transcriber, clips: dict[int, np.ndarray], runs: int) -> list[dict[str, Any]]:
    rows = []
    for seconds, audio in clips.items():
        source = (SAMPLE_RATE, audio)
        stats = summarize_ms(time_calls(lambda src=source: transcriber.transcribe(src), runs=runs))
        rows.append(
            {
                "backend": transcriber.backend,
                "beam": transcriber.beam_size,
                "clip_s": seconds,
                "p50_ms": stats["p50_ms"],
                "p95_ms": stats["p95_ms"],
                "rtf_p50": round(stats["p50_ms"] / 1000 / seconds, 3),
                "runs": stats["n"],
            }
        )
    return rows


def session_row(catalog: Path, audio: np.ndarray, clips_dir: Path, runs: int) -> dict[str, Any]:
    """p50/p95 of one voice turn, ``Session.submit(Voice(wav file))``, on an engine with the default transcriber."""
    from mmrec.engine import Engine
    from mmrec.events import Voice
    from mmrec.session import Session

    engine = Engine.load(catalog, image=False, speech=True)
    session = Session(engine)
    clip = clips_dir / f"session_{duration_s(audio):g}s.wav"
    write_wav(clip, audio)

    def turn() -> None:
        if (error := session.submit(Voice(str(clip))).error) is not None:
            raise RuntimeError(f"voice turn failed: {error}")

    stats = summarize_ms(time_calls(turn, runs=runs))
    return {
        "backend": f"session ({engine.transcriber.backend})",
        "beam": getattr(engine.transcriber, "beam_size", None),
        "clip_s": duration_s(audio),
        "p50_ms": stats["p50_ms"],
        "p95_ms": stats["p95_ms"],
        "rtf_p50": round(stats["p50_ms"] / 1000 / duration_s(audio), 3),
        "runs": stats["n"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    ap.add_argument("--runs", type=int, default=5, help="timed transcriptions per clip length (after one warm-up)")
    ap.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG, help="catalog of the end-to-end session figure")
    args = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    extra: dict[str, Any] = {"accuracy": {}, "unavailable": {}, "peak_rss_mb": {}}
    with tempfile.TemporaryDirectory() as tmp:
        clips_dir = make_clips(Path(tmp))
        clips = long_clips(clips_dir)
        cache = RuntimeSettings.from_env().cache_dir
        for backend in available_encoders("speech"):
            for beam in BEAM_SIZES:
                transcriber = load_encoder("speech", backend, cache_dir=cache)
                transcriber.beam_size = beam
                try:
                    transcriber.load()
                except ModelUnavailableError as e:
                    extra["unavailable"][backend] = str(e)
                    rows.append(
                        {"backend": backend, "beam": beam, "clip_s": None, "p50_ms": None, "status": "unavailable"}
                    )
                    break
                key = f"{backend} beam={beam}"
                extra["accuracy"][key] = acc = accuracy(transcriber, clips_dir)
                print(
                    f"{key}: WER clean {acc['wer_clean']:.3f}, noisy {acc['wer_noisy']:.3f}, "
                    f"ratings clean {acc['ratings_clean']}, noisy {acc['ratings_noisy']}, no-speech {acc['no_speech']}"
                )
                rows.extend(latency_rows(transcriber, clips, args.runs))
                extra["peak_rss_mb"][key] = peak_rss_mb()
        if (args.catalog / "items.jsonl").is_file():
            rows.append(session_row(args.catalog, clips[SESSION_CLIP_S], clips_dir, args.runs))
            extra["peak_rss_mb"]["session"] = peak_rss_mb()
        else:
            extra["unavailable"]["session"] = f"catalog not found: {args.catalog}"
    report("speech", rows, args.out, extra)
    for backend, reason in extra["unavailable"].items():
        print(f"{backend}: unavailable: {reason}")
    print(f"peak RSS (MiB, cumulative in this process): {extra['peak_rss_mb']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
