"""mmrec: an interactive multimodal recommender.

Typical use::

    import mmrec

    engine = mmrec.Engine.load("assets/demo_catalog")   # catalog + encoders, once per process
    config = mmrec.load_config(top_k=10)                  # or load_config("arm-b.json"): a named condition
    session = mmrec.Session(engine, config=config)        # one per user
    turn = session.submit(mmrec.Review("a warm hoodie, not black"))
    for item in turn.ranked:
        print(item.id, item.score, item.contributions, item.reason)
"""

from .catalog import Catalog, Item, load_catalog
from .engine import Engine
from .errors import MMRecError
from .events import Dislike, Like, Photo, Reset, Review, Voice, parse_event
from .item_store import ItemStore
from .ranking import RankedItem, rank
from .recommender_config import RecommenderConfig, load_config
from .scorers import Scorer, available_scorers, register_scorer
from .session import Session
from .turn import Turn

__all__ = [
    "Catalog",
    "Dislike",
    "Engine",
    "Item",
    "ItemStore",
    "Like",
    "MMRecError",
    "Photo",
    "RankedItem",
    "RecommenderConfig",
    "Reset",
    "Review",
    "Scorer",
    "Session",
    "Turn",
    "Voice",
    "available_scorers",
    "load_catalog",
    "load_config",
    "parse_event",
    "rank",
    "register_scorer",
]
