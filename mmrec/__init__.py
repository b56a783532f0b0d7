"""mmrec: an interactive multimodal recommender.

Typical use::

    import mmrec

    engine = mmrec.Engine.load("assets/demo_catalog")   # catalog + encoders, once per process
    session = mmrec.Session(engine, top_k=10)             # one per user
    turn = session.submit(mmrec.Review("a warm hoodie, not black"))
    for item in turn.ranked:
        print(item.id, item.score, item.contributions, item.reason)
"""

from .catalog import Catalog, Item, load_catalog
from .engine import Engine
from .errors import MMRecError
from .events import Dislike, Like, Photo, Reset, Review, Voice, parse_event
from .ranking import FusionWeights, RankedItem
from .session import Session, Turn

__all__ = [
    "Catalog",
    "Dislike",
    "Engine",
    "FusionWeights",
    "Item",
    "Like",
    "MMRecError",
    "Photo",
    "RankedItem",
    "Reset",
    "Review",
    "Session",
    "Turn",
    "Voice",
    "load_catalog",
    "parse_event",
]
