"""The profile as chips a user can see and take away: active filters, wanted/avoided terms, interactions.

A chip id is stable across a session and its replay: ``exclude_colors:Black``, ``include_categories:Jackets``,
``max_price``, ``min_price``, ``term:warm``, ``turn:3``. Removing a filter or term chip lifts it (see
:func:`lift`); removing an interaction chip rebuilds the profile without that turn
(:meth:`mmrec.profile.Profile.without`). An exclusion carries the avoided term of the same name ("not
black" both filters and avoids Black): it is one chip, and removing it lifts both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .understanding import Filters

if TYPE_CHECKING:
    from .profile import Profile

SET_FILTERS = {
    "exclude_colors": "Not {}",
    "include_colors": "Only {}",
    "exclude_categories": "No {}",
    "include_categories": "Only {}",
}
PRICE_FILTERS = {"max_price": "Under {}", "min_price": "Over {}"}


@dataclass(frozen=True)
class Chip:
    """One removable part of the profile."""

    id: str
    kind: str
    """``filter``, ``term`` or ``interaction``."""
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label}


def chips(profile: Profile) -> list[Chip]:
    """The profile's chips: filters, then terms (wanted first), then interactions oldest first."""
    f = profile.filters
    out = [
        Chip(f"{name}:{value}", "filter", label.format(value))
        for name, label in SET_FILTERS.items()
        for value in sorted(getattr(f, name))
    ]
    out += [
        Chip(name, "filter", label.format(price_text(getattr(f, name))))
        for name, label in PRICE_FILTERS.items()
        if getattr(f, name) is not None
    ]
    excluded = f.exclude_colors | f.exclude_categories
    terms = sorted(
        ((t, w) for t, (w, _) in profile.terms.items() if not (w < 0 and t in excluded)),
        key=lambda kv: (kv[1] < 0, kv[0]),
    )
    out += [Chip(f"term:{t}", "term", f"{'Wants' if w > 0 else 'Avoids'} {t}") for t, w in terms]
    out += [Chip(f"turn:{s.turn}", "interaction", s.label) for s in profile.steps if s.kind != "lift"]
    return out


def lift(
    chip: str, filters: Filters, terms: dict[str, tuple[float, int]]
) -> tuple[Filters, dict[str, tuple[float, int]]]:
    """``filters`` and ``terms`` without the filter or term chip ``chip`` (unchanged when it is not active)."""
    name, _, value = chip.partition(":")
    if name in SET_FILTERS and value in getattr(filters, name):
        if name.startswith("exclude"):
            terms = {t: v for t, v in terms.items() if not (t == value and v[0] < 0)}
        return replace(filters, **{name: getattr(filters, name) - {value}}), terms
    if name in PRICE_FILTERS and not value and getattr(filters, name) is not None:
        return replace(filters, **{name: None}), terms
    if name == "term" and value in terms:
        return filters, {t: v for t, v in terms.items() if t != value}
    return filters, terms


def price_text(price: float) -> str:
    """A price as a chip says it: ``$58``, ``$57.60``."""
    return f"${price:,.0f}" if float(price).is_integer() else f"${price:,.2f}"
