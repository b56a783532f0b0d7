"""Choosing the photo encoders: CLIP when its weights load, else the visibly degraded visual fallback.

``MMREC_CLIP=off`` skips CLIP altogether (fast start, e.g. in tests). Without CLIP there is no
text→photo encoder: callers get ``None`` and must report that search as unavailable.
"""

from __future__ import annotations

import warnings
from functools import cache

from ..config import setting
from ..errors import ModelUnavailableError
from .base import EmbeddingEncoder
from .clip import ClipImageEncoder, ClipModel, ClipTextEncoder
from .visual import VisualFeatureEncoder


def load_image_encoders(
    *, clip_model: str | None = None, clip_pretrained: str | None = None
) -> tuple[EmbeddingEncoder, EmbeddingEncoder | None]:
    """``(photo encoder, CLIP text encoder or None)``; CLIP is loaded now so that failure shows at once.

    Loaded once per process for each distinct setting: sessions and engines share the models.
    """
    switch = (setting("clip") or "on").lower()
    return _load(switch, clip_model or setting("clip_model"), clip_pretrained or setting("clip_pretrained"))


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
