"""What the session understood from one interaction, typed.

An :class:`Interpretation` also reads like the mapping earlier versions returned
(``turn.understood["filters"]``, ``.get("transcript")``), so callers that index it by key keep working.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

ABSENT = object()
"""What :meth:`Interpretation._json` gives for a field that does not apply."""
TEXT_FIELDS = ("text", "sentiment", "label", "rating", "intent", "wants", "avoids", "query_text", "polarity")


@dataclass(frozen=True, eq=False)
class Interpretation(Mapping[str, Any]):
    """One interaction as understood. Fields that do not apply to its ``action`` are None.

    Equality is the mapping's: an interpretation equals another, or a dict, with the same JSON form.
    """

    action: str
    """What it did to the profile: ``review`` (typed, or spoken: then ``transcript`` is set), ``like``,
    ``dislike``, ``photo``, ``reset``, ``remove`` (a chip taken away) or ``undo``."""
    item: str | None = None
    """The item the interaction was about."""
    name: str | None = None
    """That item's name (likes and dislikes); the removed chip's label; what an undo undid."""
    chip: str | None = None
    """The id of the chip a remove took away."""
    weight: float | None = None
    """How strongly it moved the profile (signed)."""
    text: str | None = None
    sentiment: float | None = None
    label: str | None = None
    rating: float | None = None
    intent: str | None = None
    wants: tuple[str, ...] = ()
    avoids: tuple[str, ...] = ()
    query_text: str | None = None
    polarity: float | str | None = None
    """Text: signed strength in [-1, 1]; photo: ``more`` or ``less``."""
    filters: Mapping[str, Any] = field(default_factory=dict)
    """The session's hard filters after this interaction."""
    transcript: str | None = None
    speech: Mapping[str, Any] | None = None
    """The transcriber's report (voice)."""
    encoder: str | None = None
    """The encoder that compared a photo."""
    photo: str | None = None
    """How the session names the photo in reasons (``your photo 2``: the session's second photo)."""
    match: float | None = None
    """A photo's cosine to the closest catalog photo."""
    note: str | None = None
    """What the user should know about the interaction (a photo with no close match in the catalog)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form: every field that applies (text fields whenever there was text)."""
        return {name: value for name in FIELD_NAMES if (value := self._json(name)) is not ABSENT}

    def _json(self, name: str) -> Any:
        """Field ``name`` in JSON form, or :data:`ABSENT` when it does not apply (so it is not a key)."""
        value = getattr(self, name)
        if name == "filters":
            return dict(value) if value or self.action == "review" else ABSENT
        if (name in TEXT_FIELDS and self.text is not None) or value not in (None, (), {}):
            return list(value) if isinstance(value, tuple) else value
        return ABSENT

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Interpretation:
        values = {k: v for k, v in data.items() if k in FIELD_NAMES}
        for name in ("wants", "avoids"):
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    def __getitem__(self, key: str) -> Any:
        """One key of :meth:`to_dict`, without building the rest (``u.get("rating")`` on every history row)."""
        value = self._json(key) if key in FIELD_NAMES else ABSENT
        if value is ABSENT:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())


FIELD_NAMES = tuple(f.name for f in fields(Interpretation))
