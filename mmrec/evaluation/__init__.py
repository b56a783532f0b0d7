"""Evaluation with simulated shoppers: seeded shoppers with hidden targets act through the session API
(text, voice, photo, list feedback); per-turn metrics with bootstrap intervals; arms compared pairwise.

    python -m mmrec evaluate --catalog DIR [--arms fused,text,...] [--seeds 3] [--shoppers N] [--turns T]
    python -m mmrec evaluate --configs A.json B.json [--policy text+photo+feedback] [--first-seed 100]
"""

from .arms import Arm, available_arms, get_arm, make_session
from .experiment import evaluate
from .policies import Policy
from .shoppers import Shopper, ShopperOptions

__all__ = [
    "Arm",
    "Policy",
    "Shopper",
    "ShopperOptions",
    "available_arms",
    "evaluate",
    "get_arm",
    "make_session",
]
