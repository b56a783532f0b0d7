"""One-line reasons built from an item's score contributions and the interactions behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .profile import Profile

if TYPE_CHECKING:
    from .engine import Engine

_VERB = {"text": "close to", "image": "looks like", "clip_text": "pictured like"}
NOTICEABLE = 0.02
WORTH_A_WARNING = 0.08


def explain(engine: Engine, profile: Profile, row: int, contributions: dict[str, float]) -> str:
    """Why item ``row`` is where it is, e.g. 'close to your review “warm jacket”; matches jackets'."""
    parts: list[str] = []
    towards, away = _strongest_signals(engine, profile, row, contributions)
    if towards:
        parts.append(towards)
    matched = [t for t, w in profile.term_weights().items() if w > 0 and engine.term_mask(t)[row]]
    if matched:
        parts.append("matches " + ", ".join(matched[:3]))
    clashes = [t for t, w in profile.term_weights().items() if w < 0 and engine.term_mask(t)[row]]
    if clashes:
        parts.append("though it is " + ", ".join(clashes[:2]))
    if away:
        parts.append(away)
    if not parts:
        note = engine.prior_note[row]
        if not profile.is_empty():
            parts.append("not touched by your feedback so far" + (f"; customers rate it {note}" if note else ""))
        else:
            parts.append(f"customers rate it {note}" if note else "a starting pick: tell me what you like")
    elif contributions.get("diversity", 0.0) < -NOTICEABLE:
        parts.append("lowered a little to keep the list varied")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _strongest_signals(engine: Engine, profile: Profile, row: int, contributions: dict[str, float]) -> tuple[str, str]:
    """The interaction that pulled the item up most, and the one that pushed it down most."""
    best: tuple[float, str] = (NOTICEABLE, "")
    worst: tuple[float, str] = (-WORTH_A_WARNING, "")
    for modality, verb in _VERB.items():
        if modality not in contributions:
            continue
        vector = engine.item_vector(modality, row)
        if vector is None:
            continue
        baseline = engine.modalities[modality].index.mean_vector
        for signal, share in profile.signal_contributions(modality, vector, baseline):
            if signal.weight > 0 and share > best[0]:
                best = (share, f"{verb} {signal.source}")
            elif signal.weight < 0 and share < worst[0] and contributions[modality] < -NOTICEABLE:
                worst = (share, f"pushed down as it resembles {signal.source}")
    return best[1], worst[1]
