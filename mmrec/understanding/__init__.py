"""Understanding user text: a review, a request or a voice transcript, read into what the recommender needs."""

from .filters import Filters
from .parse import Understanding, understand
from .rating import extract_rating
from .sentiment import sentiment_score
from .sentiment_model import SentimentModel
from .text import clean_text
from .vocabulary import Vocabulary

__all__ = [
    "Filters",
    "SentimentModel",
    "Understanding",
    "Vocabulary",
    "clean_text",
    "extract_rating",
    "sentiment_score",
    "understand",
]
