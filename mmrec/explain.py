"""One-line reasons composed from what each scorer says about an item."""

from __future__ import annotations

from .scorers import Reason

NOTICEABLE = 0.02
"""A diversity penalty below this is not worth mentioning."""


def explain(reasons: list[Reason], *, profile_empty: bool, diversity: float = 0.0) -> str:
    """Why an item is where it is, e.g. 'Close to your review “warm jacket”; matches jackets'.

    Told in order: the strongest pull up, matched terms, clashing terms, the strongest push down; a
    note (the customer rating) only when nothing else applies.
    """
    toward = max((r for r in reasons if r.kind == "toward"), key=lambda r: r.strength, default=None)
    away = min((r for r in reasons if r.kind == "away"), key=lambda r: r.strength, default=None)
    parts = [r.text for r in [toward] if r] + [r.text for r in reasons if r.kind in ("matches", "clashes")]
    parts += [r.text for r in [away] if r]
    notes = [r.text for r in reasons if r.kind == "note"]
    if not parts:
        note = "; ".join(notes)
        if not profile_empty:
            parts.append("not touched by your feedback so far" + (f"; {note}" if note else ""))
        else:
            parts.append(note or "a starting pick: tell me what you like")
    elif diversity < -NOTICEABLE:
        parts.append("lowered a little to keep the list varied")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
