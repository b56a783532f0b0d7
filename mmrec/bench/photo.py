"""Photo encoding cost: one uploaded photo (decode + encode) and a whole catalog, for both encoders.

CLIP runs as ViT-B-32 built without weights (``pretrained=random``): the cost of the real model,
none of its meaning, so it runs offline. The upload is a catalog photo enlarged to a 2048 px JPEG,
as a phone would send. The fallback is measured first, so its peak RSS is its own; CLIP with one
torch thread and with one per CPU (on a busy machine more threads can be slower).

Run: ``python -m mmrec.bench.photo [--catalog /work/shared/catalogs/luma] [--out JSON]``.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

from PIL import Image

from ..catalog import load_catalog
from ..encoders.base import EmbeddingEncoder
from ..encoders.clip import RANDOM_INIT, ClipImageEncoder, ClipModel
from ..encoders.visual import VisualFeatureEncoder
from ..engine import Engine, Modality
from ..events import Photo, Reset
from ..index import EmbeddingIndex
from ..session import Session
from .common import peak_rss_mb, report, summarize_ms, time_calls

TARGET_MS = {"visual-features-v4": 100.0, "clip:ViT-B-32/random": 300.0}


def upload_photo(path: Path, side: int = 2048) -> bytes:
    """The photo at ``path`` enlarged to ``side`` px on its longest side, as JPEG bytes."""
    image = Image.open(path).convert("RGB")
    scale = side / max(image.size)
    image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def measure(encoder: EmbeddingEncoder, upload: bytes, text_engine: Engine, runs: int, threads: int | None) -> dict:
    """Upload latency, photo-turn latency and catalog throughput of ``encoder``; ``threads`` sets
    torch's thread count. The photo turn is ``Session.submit(Photo)``: decode + encode + profile
    update + re-rank over the text and image modalities of ``text_engine``'s catalog."""
    catalog_images = [item.image for item in text_engine.catalog]
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    encoder.load()
    latency = summarize_ms(time_calls(lambda: encoder.encode([upload]), runs=runs, warmup=2))
    t0 = time.perf_counter()
    vectors = encoder.encode(catalog_images, batch_size=32)
    seconds = time.perf_counter() - t0
    engine = Engine(
        text_engine.catalog,
        {**text_engine.modalities, "image": Modality("image", EmbeddingIndex(vectors, model=encoder.name), encoder)},
    )
    session = Session(engine)

    def photo_turn() -> None:
        if session.turn % 8 == 0:
            session.submit(Reset())
        assert session.submit(Photo(upload)).error is None

    turn = summarize_ms(time_calls(photo_turn, runs=runs, warmup=2))
    return {
        "encoder": encoder.name,
        "torch_threads": threads,
        "upload_p50_ms": latency["p50_ms"],
        "upload_p95_ms": latency["p95_ms"],
        "turn_p50_ms": turn["p50_ms"],
        "turn_p95_ms": turn["p95_ms"],
        "target_ms": TARGET_MS.get(encoder.name),
        "catalog_images": len(catalog_images),
        "catalog_images_per_s": round(len(catalog_images) / seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=Path("/work/shared/catalogs/luma"))
    parser.add_argument("--runs", type=int, default=30, help="timed single-photo encodes per encoder")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)

    catalog = load_catalog(args.catalog, require_images=True)
    text_engine = Engine.load(catalog, image=False, speech=False)
    upload = upload_photo(catalog[0].image)
    clip = ClipImageEncoder(ClipModel("ViT-B-32", RANDOM_INIT))
    rows = [measure(VisualFeatureEncoder(), upload, text_engine, args.runs, None)]
    rows += [measure(clip, upload, text_engine, args.runs, n) for n in sorted({1, os.cpu_count() or 1})]
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")
    report(
        "photo encoding (decode + encode) and photo turn (+ profile update + re-rank)",
        rows,
        args.out,
        extra={"catalog": str(args.catalog), "upload_bytes": len(upload), "load_average_after": os.getloadavg()},
    )


if __name__ == "__main__":
    main()
