"""Simulated shoppers: a hidden target item, and what the shopper says, shows or clicks at each turn.

A shopper sees only what a person would: the shown list (ids, photos, prices, colours, categories) and
its target's visible attributes and photo. Everything random is drawn from the shopper's own generator,
seeded by (seed, shopper index), so the same shopper behaves alike in every arm it meets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from ..catalog import Item
from . import language as lang
from .relevance import CatalogView

BACKGROUNDS = ((230, 200, 200), (200, 220, 240), (210, 235, 205), (60, 60, 60), (240, 230, 190))
PHOTO_OPS = ("crop", "rotate", "lighting", "blur", "background")


@dataclass
class ShopperOptions:
    """Knobs of the simulated shopper."""

    constraints: bool = True
    """State negations ("not in black") and prices ("under $50", "cheaper")."""
    error_rate: float = 0.1
    """Chance that a like or a dislike goes to a random shown item instead of the oracle's choice."""
    negation_rate: float = 0.35
    budget_rate: float = 0.25
    opening_detail: float = 0.5
    """Chance that the first description names the colour, and (apart) the gender; 1.0: it names both.
    What it leaves out, the shopper says at its next text turns."""


@dataclass
class Shopper:
    """One simulated shopper looking for ``target`` (a catalog row)."""

    view: CatalogView
    target: int
    rng: np.random.Generator
    options: ShopperOptions = field(default_factory=ShopperOptions)
    said: set[int] = field(default_factory=set)
    liked: set[str] = field(default_factory=set)
    text_turns: int = 0
    untold: set[str] = field(default_factory=set)
    """'colour' / 'gender' while the shopper has not said them yet."""

    def __post_init__(self) -> None:
        self.item: Item = self.view.engine.catalog[self.target]
        self.facts = lang.facts_of(self.item)
        self.distinctive = lang.distinctive_words(self.item, self.view.generic_words)
        self.noun = self._pick(lang.type_phrases(self.item))
        self.gender = lang.gender_of(self.item)
        self.untold = {k for k, v in (("colour", self.item.color), ("gender", self.gender)) if v}

    # --- text -------------------------------------------------------------------------------------------
    def utterance(self, shown: list[str]) -> str:
        """What the shopper types at this turn: a first description, then details, negations, 'cheaper'."""
        self.text_turns += 1
        text = self._opening(shown) if self.text_turns == 1 else self._follow_up(shown)
        lang.check_no_leak(text, self.item, self.distinctive)
        return text

    def _opening(self, shown: list[str]) -> str:
        extras = [self._new_fact() for _ in range(int(self.rng.integers(1, 3)))]
        if self.options.constraints and self.item.price and self.rng.random() < self.options.budget_rate:
            extras.append(self._pick(lang.BUDGETS).format(p=lang.budget(self.item.price)))
        extra = ", " + " and ".join(e for e in extras if e) if any(extras) else ""
        tell = {k for k in sorted(self.untold) if self.rng.random() < self.options.opening_detail}
        text = self._pick(lang.OPENERS).format(np=self._noun_phrase(tell), extra=extra)
        text = text[0].upper() + text[1:]
        negation = self._negation(shown, anywhere=True)
        return f"{text} {negation}" if negation else text

    def _follow_up(self, shown: list[str]) -> str:
        parts = []
        revealing = bool(self.untold)
        if revealing:  # what the first description left out
            parts.append(self._pick(lang.REMINDERS[2:]).format(np=self._noun_phrase(set(self.untold))))
        fact = self._new_fact()
        if fact:
            parts.append(self._pick(lang.DETAILS).format(fact=fact))
        if not revealing and (not fact or self.rng.random() < 0.5):
            colour = self._colour_word()
            reminders = lang.REMINDERS if colour else lang.REMINDERS[2:]
            parts.append(self._pick(reminders).format(colour=colour, np=self._noun_phrase()))
        if self.options.constraints:
            if self._list_is_pricier(shown):
                parts.append(self._pick(lang.CHEAPER))
            negation = self._negation(shown, anywhere=False)
            if negation:
                parts.append(negation)
        return " ".join(parts)

    def _noun_phrase(self, tell: set[str] | None = None) -> str:
        """'a black hoodie for men' with what the shopper has told (plus ``tell``, now told too)."""
        self.untold -= tell or set()
        colour = self._colour_word() if self.item.color and "colour" not in self.untold else ""
        gender = self._pick(lang.GENDERS[self.gender]) if self.gender and "gender" not in self.untold else ""
        noun = self.noun
        front = gender if gender.endswith("'s") else ""
        back = gender if gender and not front else ""
        if colour and self.rng.random() < 0.5:
            words = [front, colour, noun, back]
        else:
            words = [front, noun, back, f"in {colour}" if colour else ""]
        words = [w for w in words if w]
        return lang.article(words[0], noun) + " " + " ".join(words)

    def _colour_word(self) -> str:
        return self._pick(lang.colour_phrases(self.item.color)) if self.item.color else ""

    def _new_fact(self) -> str:
        fresh = [i for i in range(len(self.facts)) if i not in self.said]
        if not fresh:
            return ""
        i = int(self.rng.choice(fresh))
        self.said.add(i)
        return self._pick(self.facts[i])

    def _negation(self, shown: list[str], *, anywhere: bool) -> str:
        """'Not in red' for a colour on the list (or, at the start, any colour) that the target is not."""
        if not (self.options.constraints and self.item.color) or self.rng.random() >= self.options.negation_rate:
            return ""
        on_list = [self.view.colours[self.view.row(i)] for i in shown]
        pool = sorted({c for c in (on_list if not anywhere else self.view.colours) if c and c != self.item.color})
        if not pool:
            return ""
        colour = lang.colour_phrases(self._pick(pool))[0]
        return self._pick(lang.NEGATIONS).format(c=colour)

    def _list_is_pricier(self, shown: list[str]) -> bool:
        prices = [self.view.prices[self.view.row(i)] for i in shown]
        known = [p for p in prices if not np.isnan(p)]
        return bool(self.item.price and known and np.median(known) > 1.3 * self.item.price)

    # --- photo ------------------------------------------------------------------------------------------
    def photo(self) -> tuple[Image.Image, dict[str, object]]:
        """A photo of a similar item: another colour variant when there is one (half the time), else the
        target's own photo; perturbed (crop, rotation, lighting, blur, background) as a phone photo would be."""
        siblings = [int(r) for r in self.view.siblings(self.target) if self.view.engine.catalog[int(r)].image]
        source = int(self.rng.choice(siblings)) if siblings and self.rng.random() < 0.5 else self.target
        ops = [str(o) for o in self.rng.choice(PHOTO_OPS, size=2, replace=False)]
        path = self.view.engine.catalog[source].image
        assert path is not None
        with Image.open(path) as image:
            out = perturb(image.convert("RGB"), ops, self.rng)
        return out, {"source": self.view.engine.catalog[source].id, "sibling": source != self.target, "ops": ops}

    # --- list feedback ----------------------------------------------------------------------------------
    def feedback(self, shown: list[str]) -> tuple[str | None, str | None]:
        """(item to like, item to dislike or None): the shown item closest to the target and one far from
        it, by graded relevance then text similarity to the target; each a random pick at ``error_rate``.
        The shopper never dislikes its own target."""
        if not shown:
            return None, None
        rows = np.array([self.view.row(i) for i in shown])
        grades = self.view.grades(self.target)[rows]
        sims = self.view.text_vectors[rows] @ self.view.text_vectors[self.target]
        order = np.lexsort((-sims, -grades))  # best first
        fresh = [int(p) for p in order if shown[p] not in self.liked]
        like = shown[fresh[0] if fresh else int(order[0])]
        if self.rng.random() < self.options.error_rate:
            like = shown[int(self.rng.integers(len(shown)))]
        worst = int(order[-1])
        dislike = shown[worst] if grades[worst] == 0 else None
        others = [i for i in shown if i != self.item.id and i != like]
        if others and self.rng.random() < self.options.error_rate:
            dislike = others[int(self.rng.integers(len(others)))]
        if dislike == like:
            dislike = None
        self.liked.add(like)
        return like, dislike

    def _pick(self, options):
        return options[int(self.rng.integers(len(options)))]


def perturb(image: Image.Image, ops: list[str], rng: np.random.Generator) -> Image.Image:
    """``image`` with each of ``ops`` applied, strengths drawn from ``rng``."""
    for op in ops:
        if op == "crop":
            w, h = image.size
            keep = rng.uniform(0.8, 0.95)
            left, top = rng.uniform(0, 1 - keep) * w, rng.uniform(0, 1 - keep) * h
            image = image.crop((int(left), int(top), int(left + keep * w), int(top + keep * h)))
        elif op == "rotate":
            image = image.rotate(float(rng.uniform(-15, 15)), expand=False, fillcolor=(255, 255, 255))
        elif op == "lighting":
            image = ImageEnhance.Brightness(image).enhance(float(rng.uniform(0.7, 1.3)))
            image = ImageEnhance.Contrast(image).enhance(float(rng.uniform(0.8, 1.2)))
        elif op == "blur":
            image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 1.5))))
        elif op == "background":
            pixels = np.asarray(image).copy()
            white = (pixels > 235).all(axis=2)
            pixels[white] = BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))]
            image = Image.fromarray(pixels)
    return image
