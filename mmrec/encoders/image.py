"""Choosing the photo encoders: CLIP when its weights load, else the visibly degraded visual fallback.

``MMREC_CLIP=off`` skips CLIP altogether (fast start, e.g. in tests). Without CLIP there is no
text→photo encoder: callers get ``None`` and must report that search as unavailable.
"""

from __future__ import annotations

import warnings
from functools import cache

from ..errors import ModelUnavailableError
from ..runtime_settings import RuntimeSettings
from .base import EmbeddingEncoder
from .clip import ClipImageEncoder, ClipModel, ClipTextEncoder
from .visual import VisualFeatureEncoder


def load_image_encoders(
    *, clip: bool | None = None, clip_model: str | None = None, clip_pretrained: str | None = None
) -> tuple[EmbeddingEncoder, EmbeddingEncoder | None]:
    """``(photo encoder, CLIP text encoder or None)``; CLIP is loaded now so that failure shows at once.

    ``clip=False`` skips CLIP; arguments left ``None`` come from :meth:`RuntimeSettings.from_env`.
    Loaded once per process for each distinct setting: sessions and engines share the models.
    """
    if clip is None:
        env = RuntimeSettings.from_env()
        clip, clip_model, clip_pretrained = (
            env.clip,
            clip_model or env.clip_model,
            clip_pretrained or env.clip_pretrained,
        )
    return _load("on" if clip else "off", clip_model, clip_pretrained)


@cache
def _load(
    switch: str, clip_model: str | None, clip_pretrained: str | None
) -> tuple[EmbeddingEncoder, EmbeddingEncoder | None]:
    if switch in ("off", "0", "false", "no"):
        return VisualFeatureEncoder(reason="CLIP is switched off (MMREC_CLIP=off); using colour + shape features"), None
    model = ClipModel(clip_model, clip_pretrained)
    try:
        model.load()
    except ModelUnavailableError as e:
        reason = f"no CLIP weights could be loaded: {e}; using colour + shape features"
        warnings.warn(f"photo search falls back to visual features: {reason}", stacklevel=2)
        return VisualFeatureEncoder(reason=reason), None
    return ClipImageEncoder(model), ClipTextEncoder(model)
