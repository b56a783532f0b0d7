"""Shared fixtures: catalog folders (skipping where absent), one model load per test session, --slow."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MMREC_SHARED_DIR", ROOT.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow (models, browser)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _catalog(name: str) -> Path:
    path = SHARED / "catalogs" / name
    if not (path / "items.jsonl").is_file():
        pytest.skip(f"shared catalog {name!r} not found at {path}")
    return path


@pytest.fixture(scope="session")
def luma_dir() -> Path:
    return _catalog("luma")


@pytest.fixture(scope="session")
def luma_mini_dir() -> Path:
    return _catalog("luma-mini")


@pytest.fixture(scope="session")
def demo_catalog_dir() -> Path:
    return ROOT / "assets" / "demo_catalog"


CatalogSpec = list[tuple[str, str, "tuple[int, int, int] | str | None"]]


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[[CatalogSpec], Path]:
    """A writer of small catalogs into ``tmp_path/catalog``: ``(id, category, photo)`` per item, photo an
    RGB colour (a 64 px JPEG of a block of it on white), ``"missing"`` (named, absent) or None."""
    from PIL import Image, ImageDraw

    def write(items: CatalogSpec) -> Path:
        root = tmp_path / "catalog"
        (root / "images").mkdir(parents=True)
        records = []
        for item_id, category, photo in items:
            record = {"id": item_id, "name": f"{item_id.title()} {category.rsplit('/')[-1]}", "categories": [category]}
            if photo is not None:
                record["image"] = f"images/{item_id}.jpg"
            if isinstance(photo, tuple):
                image = Image.new("RGB", (64, 64), (245, 245, 245))
                ImageDraw.Draw(image).rectangle((16, 12, 48, 56), fill=photo)
                image.save(root / record["image"], quality=85)
            records.append(record)
        (root / "items.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
        return root

    return write


@pytest.fixture
def tiny_catalog_dir(write_catalog: Callable[[CatalogSpec], Path]) -> Path:
    """5 items in 3 categories of one photo each; one item has no photo, one names a missing file."""
    return write_catalog(
        [
            ("tee", "Tops/Tees", (200, 30, 30)),
            ("bag", "Gear/Bags", (30, 50, 200)),
            ("boot", "Shoes/Boots", (30, 160, 60)),
            ("tank", "Tops/Tees", None),
            ("cap", "Gear/Caps", "missing"),
        ]
    )


@pytest.fixture(scope="session")
def cache_root() -> Path:
    """The embedding cache of model-backed tests: kept between runs (entries are content-keyed, never stale)."""
    path = Path(os.environ.get("MMREC_TEST_CACHE", Path.home() / ".cache" / "mmrec-test"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def text_encoder():
    from mmrec.encoders.text import SentenceTextEncoder

    encoder = SentenceTextEncoder()
    encoder.load()
    return encoder


@pytest.fixture(scope="session")
def tiny_openai_checkpoint(tmp_path_factory) -> Path:
    """A Whisper checkpoint with random weights and tiny dimensions, in the format whisper.load_model reads."""
    from dataclasses import asdict

    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    dims = whisper_model.ModelDimensions(
        n_mels=80, n_audio_ctx=1500, n_audio_state=16, n_audio_head=2, n_audio_layer=1,
        n_vocab=51865, n_text_ctx=24, n_text_state=16, n_text_head=2, n_text_layer=1,
    )  # fmt: skip
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("whisper") / "tiny-random.pt"
    torch.save({"dims": asdict(dims), "model_state_dict": whisper_model.Whisper(dims).state_dict()}, path)
    return path


@pytest.fixture(scope="session")
def voice_clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every clip of assets/voice/clips.jsonl, synthesized once per test session (needs espeak-ng, sox)."""
    from mmrec.bench.speech import make_clips

    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"voice fixtures need {', '.join(missing)} (apt-get install espeak-ng sox)")
    return make_clips(tmp_path_factory.mktemp("voice"))


@pytest.fixture(scope="session")
def served_catalog(demo_catalog_dir: Path, request: pytest.FixtureRequest) -> Path:
    if (demo_catalog_dir / "items.jsonl").is_file():
        return demo_catalog_dir
    return request.getfixturevalue("luma_mini_dir")


UPLOAD_MAX_AGE_S = 20


@dataclass(frozen=True)
class ServedApp:
    """``python app.py`` running on 127.0.0.1 for the tests, with its own upload folder."""

    url: str
    catalog: Path
    uploads: Path
    log: Path


@pytest.fixture(scope="session")
def served_app(served_catalog: Path, cache_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The real app, served once per test session (browser and web-surface tests share it)."""
    from mmrec.bench.ui import start_app, stop_app

    folder = tmp_path_factory.mktemp("app")
    uploads = folder / "uploads"
    uploads.mkdir()
    log = folder / "app.log"
    # Stale uploads are swept quickly here so that a test can watch the sweep (every upload a test
    # makes is used within a few seconds).
    env = {
        "MMREC_CACHE_DIR": str(cache_root),
        "GRADIO_TEMP_DIR": str(uploads),
        "MMREC_UPLOAD_MAX_AGE_S": str(UPLOAD_MAX_AGE_S),
        "MMREC_UPLOAD_SWEEP_S": "2",
    }
    try:
        proc, url = start_app(served_catalog, log=log, env=env)
    except RuntimeError as e:
        pytest.fail(str(e))
    yield ServedApp(url, served_catalog, uploads, log)
    stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright, shared by the browser tests (skipped without either)."""
    pytest.importorskip("playwright.sync_api")
    from mmrec.bench.ui import CHROMIUM, chromium

    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    (ROOT / "test-artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
    with chromium() as b:
        yield b
