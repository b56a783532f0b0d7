"""Shared fixtures: catalog folders (skipping where absent), one model load per test session, --slow."""

from __future__ import annotations

import os
import shutil
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
def voice_clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every clip of assets/voice/clips.jsonl, synthesized once per test session (needs espeak-ng, sox)."""
    from mmrec.bench.speech import make_clips

    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"voice fixtures need {', '.join(missing)} (apt-get install espeak-ng sox)")
    return make_clips(tmp_path_factory.mktemp("voice"))
