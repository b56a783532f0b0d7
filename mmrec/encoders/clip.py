"""CLIP through open_clip: product photos and free text in one embedding space.

One :class:`ClipModel` is loaded once and shared by :class:`ClipImageEncoder` (modality ``image``) and
:class:`ClipTextEncoder` (modality ``clip_text``: text queries compared against photo embeddings).

Configuration (argument, else setting, else default): ``MMREC_CLIP_MODEL`` — an open_clip model name
(default ``ViT-B-32``); ``MMREC_CLIP_PRETRAINED`` — an open_clip pretrained tag (default
``laion2b_s34b_b79k``, downloaded from the hub into ``<cache_dir>/open_clip``) or a local checkpoint
file; :data:`RANDOM_INIT` builds the model without weights (benchmarks only: same cost, no meaning).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ..config import cache_dir as default_cache_dir
from ..errors import ModelUnavailableError
from ..images import ImageSource, load_image
from .base import EmbeddingEncoder, Status, normalize_rows

DEFAULT_MODEL = "ViT-B-32"
DEFAULT_PRETRAINED = "laion2b_s34b_b79k"
RANDOM_INIT = "random"
# Photos are decoded at most this large before CLIP's own resize to its input size (224 for ViT-B-32).
DECODE_SIDE = 448
WORDS_REMEMBERED = 20_000
"""How many words' splits open_clip's tokenizer may remember. It remembers every distinct word it has seen,
so reviews of made-up words grew the server without end; past this many it forgets all but its special
tokens (splitting a word again takes microseconds)."""


class ClipModel:
    """An open_clip model, its preprocessing and tokenizer; loaded once, on first use."""

    def __init__(
        self, model_name: str | None = None, pretrained: str | None = None, *, cache_dir: Path | None = None
    ) -> None:
        self.model_name = model_name or DEFAULT_MODEL
        self.pretrained = pretrained or DEFAULT_PRETRAINED
        self.weights_dir = str(default_cache_dir(cache_dir) / "open_clip")
        self._loaded: tuple[Any, Any, Any] | None = None
        self._first_words: dict[str, str] = {}
        """The tokenizer's word memo as loaded (its special tokens), what :meth:`_forget_words` goes back to."""
        self.error: str | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """``<model>/<tag or checkpoint file name>``, e.g. ``ViT-B-32/laion2b_s34b_b79k``."""
        tag = Path(self.pretrained).name if _is_file(self.pretrained) else self.pretrained
        return f"{self.model_name}/{tag}"

    @property
    def embed_dim(self) -> int:
        import open_clip

        config = open_clip.get_model_config(self.model_name)
        if config is None:
            return int(self.load()[0].visual.output_dim)
        return int(config["embed_dim"])

    def load(self) -> tuple[Any, Any, Any]:
        """``(model, preprocess, tokenizer)``; ModelUnavailableError saying why if it cannot load."""
        with self._lock:
            if self._loaded is None:
                if self.error:
                    raise ModelUnavailableError(self.error)
                self._loaded = self._create()
            return self._loaded

    def _create(self) -> tuple[Any, Any, Any]:
        try:
            import open_clip
            import torch

            cpus = os.cpu_count() or 1
            if torch.get_num_threads() > cpus:
                torch.set_num_threads(cpus)
            missing = self._weights_unreachable()
            if missing:
                raise FileNotFoundError(missing)
            pretrained = None if self.pretrained == RANDOM_INIT else self.pretrained
            model, _, preprocess = open_clip.create_model_and_transforms(
                self.model_name, pretrained=pretrained, cache_dir=self.weights_dir
            )
            tokenizer = open_clip.get_tokenizer(self.model_name)
            self._first_words = dict(getattr(tokenizer, "cache", None) or {})
        except Exception as e:  # missing weights, no network, unknown model: all become a status reason
            self.error = f"CLIP {self.name} could not be loaded ({type(e).__name__}: {str(e)[:200]})"
            raise ModelUnavailableError(self.error) from e
        model.eval()
        return model, preprocess, tokenizer

    def _weights_unreachable(self) -> str | None:
        """Why a hub tag's weights can be neither read from the cache nor downloaded, checked in
        milliseconds (the hub client would retry for a minute on an offline machine); else None."""
        import open_clip
        from huggingface_hub import constants, try_to_load_from_cache

        if self.pretrained == RANDOM_INIT or _is_file(self.pretrained):
            return None
        if os.sep in self.pretrained or self.pretrained.endswith((".pt", ".pth", ".bin", ".safetensors")):
            return f"checkpoint file {self.pretrained!r} does not exist"
        hub = (open_clip.get_pretrained_cfg(self.model_name, self.pretrained) or {}).get("hf_hub", "")
        if not hub:
            return None  # unknown tag or plain URL: open_clip itself reports it
        repo, filename = os.path.split(hub)
        cached = try_to_load_from_cache(repo, filename or "open_clip_pytorch_model.bin", cache_dir=self.weights_dir)
        if isinstance(cached, str):
            return None
        if constants.HF_HUB_OFFLINE:
            return f"weights {hub} are not in the cache {self.weights_dir} and HF_HUB_OFFLINE is set"
        host = urlparse(constants.ENDPOINT).hostname or constants.ENDPOINT
        try:
            socket.getaddrinfo(host, 443)
        except OSError as e:
            return f"weights {hub} are not in the cache {self.weights_dir} and {host} is unreachable ({e})"
        return None

    def encode_images(self, images: Sequence[ImageSource], *, batch_size: int, progress: bool) -> np.ndarray:
        model, preprocess, _ = self.load()

        def batch(chunk: Sequence[ImageSource]):
            import torch

            pixels = torch.stack([preprocess(load_image(x, max_side=DECODE_SIDE)) for x in chunk])
            return model.encode_image(pixels)

        return _batched(images, batch, batch_size, progress, f"CLIP photos ({self.name})")

    def encode_texts(self, texts: Sequence[str], *, batch_size: int, progress: bool) -> np.ndarray:
        model, _, tokenizer = self.load()
        vectors = _batched(
            texts,
            lambda chunk: model.encode_text(tokenizer(list(chunk))),
            batch_size,
            progress,
            f"CLIP texts ({self.name})",
        )
        self._forget_words(tokenizer)
        return vectors

    def _forget_words(self, tokenizer: Any) -> None:
        """Keep the tokenizer's word memo within :data:`WORDS_REMEMBERED` (tokenizers without one: nothing)."""
        words = getattr(tokenizer, "cache", None)
        if isinstance(words, dict) and len(words) > WORDS_REMEMBERED:
            tokenizer.cache = dict(self._first_words)


def _batched(inputs: Sequence[Any], fn: Any, batch_size: int, progress: bool, desc: str) -> np.ndarray:
    import torch
    from tqdm.auto import tqdm

    out = []
    with torch.inference_mode(), tqdm(total=len(inputs), desc=desc, disable=not progress) as bar:
        for start in range(0, len(inputs), batch_size):
            chunk = inputs[start : start + batch_size]
            out.append(fn(chunk).float().numpy())
            bar.update(len(chunk))
    if not out:
        return np.zeros((0, 0), dtype=np.float32)
    return normalize_rows(np.concatenate(out))


def _is_file(value: str) -> bool:
    return Path(value).expanduser().is_file()


class _ClipEncoder(EmbeddingEncoder):
    def __init__(self, model: ClipModel) -> None:
        self.model = model

    @property
    def name(self) -> str:
        return f"clip:{self.model.name}"

    @property
    def status(self) -> Status:
        if self.model.error:
            return Status(False, self.name, self.model.error)
        return Status(True, self.name)

    @property
    def dim(self) -> int:
        return self.model.embed_dim

    def load(self) -> None:
        self.model.load()


class ClipImageEncoder(_ClipEncoder):
    """Photos (paths, bytes, PIL images, arrays) to CLIP image embeddings."""

    modality = "image"

    def encode(self, inputs: Sequence[ImageSource], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        vectors = self.model.encode_images(inputs, batch_size=batch_size, progress=progress)
        return vectors.reshape(len(inputs), self.dim)

    def text_encoder(self) -> EmbeddingEncoder:
        return ClipTextEncoder(self.model)


class ClipTextEncoder(_ClipEncoder):
    """Texts to CLIP text embeddings, comparable with :class:`ClipImageEncoder` output (text→photo search)."""

    modality = "clip_text"

    def encode(self, inputs: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        vectors = self.model.encode_texts(inputs, batch_size=batch_size, progress=progress)
        return vectors.reshape(len(inputs), self.dim)
