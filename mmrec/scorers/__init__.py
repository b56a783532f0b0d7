"""Score sources the ranker fuses, by name. A new source is one :class:`Scorer` class registered with
:func:`register_scorer`; its fusion weight is ``config.weights[name]``."""

# isort: off
from . import embedding  # noqa: F401  (registers text, image, clip_text first: the fusion order)
from . import attributes, prior  # noqa: F401
from . import collaborative  # noqa: F401  (registered last: a new source does not reorder the others)

# isort: on
from .base import Reason, Scorer
from .registry import available_scorers, build_scorer, build_scorers, register_scorer

__all__ = ["Reason", "Scorer", "available_scorers", "build_scorer", "build_scorers", "register_scorer"]
