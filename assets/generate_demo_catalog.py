"""Generate the embedded demo catalog: synthetic products with drawn product-shot images.

Everything (names, descriptions, prices, attributes, images) is made here from a fixed seed, so the
output is byte-identical on every run. Uses only the standard library, numpy and Pillow.

    python assets/generate_demo_catalog.py [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEED = 20240611
DEFAULT_OUT = Path(__file__).resolve().parent / "demo_catalog"
SIZE = 256  # output image side
S = 512  # drawing canvas side (supersampled, then reduced to SIZE)
DESIGNS_PER_KIND = 8
VARIANT_COUNTS = (2, 1, 3, 2, 2, 3, 1, 2)  # colour variants per design, cycled with an offset per kind

RGB = tuple[int, int, int]
COLORS: dict[str, RGB] = {
    "Red": (196, 38, 44),
    "Blue": (38, 92, 192),
    "Green": (42, 138, 72),
    "Black": (34, 34, 38),
    "White": (240, 240, 236),
    "Yellow": (242, 198, 36),
    "Purple": (118, 58, 160),
    "Orange": (240, 118, 28),
    "Gray": (128, 131, 138),
    "Pink": (240, 138, 176),
    "Brown": (118, 74, 42),
}
LIGHT_COLORS = {"White", "Yellow", "Pink"}
METALS: dict[str, RGB] = {"silver": (192, 195, 202), "gold": (212, 176, 96), "black": (52, 52, 56)}

MATERIAL_PHRASES: dict[str, tuple[str, ...]] = {
    "cotton": ("soft cotton", "breathable cotton", "midweight cotton"),
    "organic cotton": ("organic cotton", "certified organic cotton"),
    "linen": ("airy linen", "lightweight washed linen"),
    "polyester": ("quick-dry polyester", "recycled polyester", "lightweight polyester"),
    "fleece": ("brushed fleece", "cosy midweight fleece"),
    "wool": ("merino wool", "warm wool blend", "soft wool"),
    "cashmere": ("fine cashmere", "brushed cashmere"),
    "denim": ("rigid denim", "stretch denim", "washed denim"),
    "leather": ("full-grain leather", "supple leather"),
    "nylon": ("ripstop nylon", "tough nylon", "lightweight nylon"),
    "canvas": ("heavy canvas", "waxed canvas"),
    "mesh": ("engineered mesh", "breathable knit mesh"),
    "silk": ("fluid silk", "washed silk"),
    "silicone": ("soft silicone", "sweat-proof silicone"),
    "stainless steel": ("double-wall stainless steel", "brushed stainless steel"),
    "aluminum": ("lightweight aluminum", "recyclable aluminum"),
    "plastic": ("BPA-free plastic", "shatter-resistant plastic"),
    "acetate": ("polished acetate", "hand-finished acetate"),
    "metal": ("thin metal", "lightweight metal"),
    "rubber": ("natural rubber", "grippy natural rubber"),
    "cork": ("natural cork", "sustainable cork"),
    "tpe": ("cushioned TPE foam", "lightweight TPE"),
}
PATTERN_PHRASES: dict[str, tuple[str, ...]] = {
    "solid": ("a clean, solid colour", "a single solid colour", "a plain, no-fuss look"),
    "striped": ("crisp stripes", "a bold striped pattern", "classic stripes"),
    "dotted": ("an allover dot print", "a playful polka-dot pattern", "a scattered dot print"),
    "checked": ("a classic check pattern", "a gingham-style check", "a neat checked weave"),
    "color-blocked": ("contrast color-blocked panels", "a sporty color-block design", "bold color blocking"),
}
NAME_WORDS = (
    "Ember", "Summit", "Harbor", "Meadow", "Drift", "Nova", "Atlas", "Breeze", "Cascade", "Ridge",
    "Tide", "Aurora", "Pioneer", "Cedar", "Flint", "Lumen", "Orbit", "Pulse", "Sierra", "Terra",
    "Vega", "Zephyr", "Boulder", "Canyon", "Delta", "Echo", "Fjord", "Glacier", "Horizon", "Juniper",
    "Kestrel", "Lagoon", "Mesa", "Nimbus", "Oasis", "Prairie", "Quarry", "Rover", "Sable", "Timber",
    "Urban", "Vista", "Willow", "Alder", "Birch", "Coral", "Dune", "Everest", "Falcon", "Granite",
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A product type: catalogue vocabulary and how its designs vary."""

    slug: str
    singular: str
    plural: str
    category: str  # main category path, leaf = plural
    price: tuple[float, float]
    materials: tuple[str, ...]
    patterns: tuple[str, ...]
    climate: tuple[str, ...]
    activities: tuple[str, ...]
    styles: tuple[str, ...]
    fits: tuple[str, ...]
    features: tuple[str, ...]
    details: tuple[str, ...] = ("",)  # a per-design trim choice (metal, sole, lens...) used by the drawing
    stripes: str = "h"  # stripe direction: h(orizontal) / v(ertical)
    block: str = "top"  # which part a color block takes: top / bottom / left / right


KINDS: tuple[Kind, ...] = (
    Kind("t-shirt", "T-Shirt", "T-Shirts", "Clothing/Tops/T-Shirts", (16, 38),
         ("cotton", "organic cotton", "linen", "polyester"), ("solid", "striped", "dotted", "color-blocked"),
         ("warm weather",), ("casual", "gym", "running", "travel"), ("casual", "minimalist", "sporty", "retro"),
         ("a relaxed fit", "a slim fit", "a regular fit", "a boxy, oversized fit"),
         ("a ribbed crew neck", "a tagless collar", "double-stitched seams", "a curved hem")),
    Kind("hoodie", "Hoodie", "Hoodies", "Clothing/Tops/Hoodies", (42, 88),
         ("fleece", "cotton", "organic cotton", "polyester"), ("solid", "striped", "color-blocked"),
         ("cool weather",), ("casual", "lounging", "running", "travel"), ("casual", "streetwear", "sporty"),
         ("a relaxed fit", "a regular fit", "an oversized fit"),
         ("a roomy kangaroo pocket", "a drawstring hood", "ribbed cuffs and hem", "thumbholes in the cuffs")),
    Kind("jacket", "Jacket", "Jackets", "Clothing/Outerwear/Jackets", (79, 210),
         ("nylon", "polyester", "denim", "leather", "wool"), ("solid", "color-blocked", "checked"),
         ("cool weather", "windy"), ("hiking", "commuting", "travel", "cycling"), ("outdoor", "classic", "streetwear"),
         ("a regular fit", "a slim, tailored fit", "a roomy fit for layering"),
         ("a full-length front zip", "a stand-up collar", "zip hand pockets", "an internal chest pocket")),
    Kind("pants", "Pants", "Pants", "Clothing/Bottoms/Pants", (39, 110),
         ("denim", "cotton", "polyester", "wool", "linen"), ("solid", "checked", "striped"),
         ("warm weather", "cool weather"), ("casual", "commuting", "travel", "hiking"), ("classic", "casual", "minimalist"),
         ("a straight leg", "a slim, tapered leg", "a relaxed leg", "a high rise and wide leg"),
         ("a button fly", "five-pocket styling", "belt loops", "a gusseted crotch")),
    Kind("shorts", "Shorts", "Shorts", "Clothing/Bottoms/Shorts", (22, 58),
         ("cotton", "polyester", "denim", "nylon", "linen"), ("solid", "striped", "checked", "color-blocked"),
         ("warm weather",), ("running", "beach", "casual", "gym"), ("sporty", "casual", "retro"),
         ("a 7-inch inseam", "a 5-inch inseam", "a relaxed fit", "a regular fit"),
         ("an elastic waistband", "a zip back pocket", "side pockets", "a built-in liner")),
    Kind("dress", "Dress", "Dresses", "Clothing/Dresses", (42, 135),
         ("cotton", "linen", "silk", "polyester"), ("solid", "dotted", "striped", "checked"),
         ("warm weather",), ("casual", "travel", "beach"), ("elegant", "casual", "retro", "classic"),
         ("a fitted bodice and flared skirt", "a relaxed A-line shape", "a wrap-style fit"),
         ("adjustable straps", "a scoop neckline", "hidden side pockets", "a midi-length hem")),
    Kind("skirt", "Skirt", "Skirts", "Clothing/Bottoms/Skirts", (30, 85),
         ("cotton", "denim", "wool", "linen"), ("solid", "checked", "striped", "dotted"),
         ("warm weather", "cool weather"), ("casual", "commuting", "travel"), ("classic", "elegant", "retro"),
         ("an A-line cut", "a pleated, knee-length cut", "a high-waisted fit"),
         ("a side zip", "soft pleats", "a wide waistband", "a lined interior")),
    Kind("sneakers", "Sneakers", "Sneakers", "Footwear/Sneakers", (55, 150),
         ("mesh", "leather", "canvas"), ("solid", "color-blocked", "striped"),
         ("warm weather", "cool weather"), ("running", "casual", "gym", "travel"), ("sporty", "streetwear", "retro"),
         ("a true-to-size fit", "a snug, sock-like fit", "a roomy toe box"),
         ("a cushioned midsole", "a padded collar", "a grippy rubber outsole", "a removable insole"),
         details=("white", "gum", "black"), block="left"),
    Kind("backpack", "Backpack", "Backpacks", "Bags/Backpacks", (35, 140),
         ("nylon", "polyester", "canvas", "leather"), ("solid", "color-blocked", "checked", "dotted"),
         ("warm weather", "cool weather", "rainy"), ("commuting", "travel", "hiking"), ("minimalist", "outdoor", "classic"),
         ("a 20-litre capacity", "a 28-litre capacity", "a slim 15-litre profile"),
         ("a padded laptop sleeve", "a quick-access front pocket", "padded shoulder straps", "a grab handle")),
    Kind("cap", "Cap", "Caps", "Accessories/Hats/Caps", (15, 36),
         ("cotton", "polyester", "wool", "nylon"), ("solid", "color-blocked", "checked"),
         ("warm weather",), ("running", "casual", "beach", "hiking"), ("sporty", "streetwear", "casual"),
         ("an adjustable strap back", "a one-size-fits-most fit", "a low, curved crown"),
         ("a pre-curved brim", "a sweat-wicking band", "breathable eyelets")),
    Kind("watch", "Watch", "Watches", "Accessories/Watches", (60, 260),
         ("leather", "silicone", "nylon"), ("solid",),
         ("warm weather", "cool weather"), ("casual", "running", "commuting"), ("classic", "minimalist", "sporty"),
         ("a 38 mm case", "a 42 mm case", "a slim 36 mm case"),
         ("a scratch-resistant crystal", "a quick-release strap", "luminous hands", "water resistance to 50 m"),
         details=("silver", "gold", "black")),
    Kind("scarf", "Scarf", "Scarves", "Accessories/Scarves", (18, 95),
         ("wool", "cashmere", "cotton", "polyester"), ("solid", "striped", "checked"),
         ("cool weather", "windy"), ("casual", "commuting", "travel"), ("classic", "elegant", "minimalist"),
         ("an extra-long wrap", "a generous 180 cm length", "a lightweight drape"),
         ("fringed ends", "a soft brushed finish", "a chunky rib knit")),
    Kind("socks", "Socks", "Socks", "Clothing/Socks", (8, 24),
         ("cotton", "wool", "nylon"), ("solid", "striped", "dotted"),
         ("warm weather", "cool weather"), ("running", "hiking", "casual", "gym"), ("sporty", "casual", "retro"),
         ("a crew length", "a quarter length", "a snug, arch-hugging fit"),
         ("a cushioned sole", "reinforced heels and toes", "a ribbed cuff")),
    Kind("sunglasses", "Sunglasses", "Sunglasses", "Accessories/Eyewear/Sunglasses", (25, 160),
         ("acetate", "metal", "plastic"), ("solid",),
         ("warm weather",), ("beach", "casual", "cycling", "travel"), ("retro", "classic", "sporty"),
         ("a medium fit", "a wide fit", "a narrow fit"),
         ("polarized lenses", "full UV400 protection", "spring hinges", "a hard case included"),
         details=("dark", "brown", "blue")),
    Kind("water-bottle", "Water Bottle", "Water Bottles", "Gear/Hydration/Water Bottles", (14, 45),
         ("stainless steel", "aluminum", "plastic"), ("solid", "striped", "color-blocked"),
         ("warm weather", "cool weather"), ("gym", "hiking", "commuting", "yoga"), ("minimalist", "sporty", "outdoor"),
         ("a 500 ml size", "a 750 ml size", "a 1 litre size"),
         ("a leak-proof lid", "a carry loop", "a wide mouth for ice", "a powder-coated grip"),
         details=("silver", "black", "white"), block="bottom"),
    Kind("yoga-mat", "Yoga Mat", "Yoga Mats", "Gear/Fitness/Yoga Mats", (20, 95),
         ("rubber", "cork", "tpe"), ("solid", "striped", "color-blocked"),
         ("warm weather", "cool weather"), ("yoga", "gym", "travel"), ("minimalist", "sporty"),
         ("a 4 mm thickness", "a 6 mm thickness", "an extra-long 183 cm size"),
         ("a non-slip texture", "alignment lines", "a carry strap", "a sweat-resistant surface"),
         stripes="v", block="right"),
)  # fmt: skip


@dataclass(frozen=True)
class Product:
    """One catalogue item: a design of a kind in one colour."""

    kind: Kind
    design_no: int
    design_name: str
    material: str
    pattern: str
    detail: str
    color: str
    accent: str
    price: float
    climate: tuple[str, ...]
    activity: tuple[str, ...]
    style: tuple[str, ...]
    flags: tuple[tuple[str, bool], ...]
    description: str

    @property
    def group(self) -> str:
        return f"{self.kind.slug}-{self.design_no:02d}"

    @property
    def id(self) -> str:
        return f"{self.kind.slug}-{self.color.lower()}-{_slug(self.material)}-{self.design_no:02d}"

    @property
    def name(self) -> str:
        return f"{self.design_name} {_title(self.material)} {self.kind.singular} ({self.color})"

    def record(self) -> dict:
        """The items.jsonl record (the schema ``mmrec.catalog.load_catalog`` reads)."""
        attributes: dict = {
            "material": [self.material],
            "pattern": [self.pattern],
            "climate": list(self.climate),
            "activity": list(self.activity),
            "style": list(self.style),
        }
        attributes.update(dict(self.flags))
        return {
            "id": self.id,
            "group": self.group,
            "name": self.name,
            "description": self.description,
            "categories": [self.kind.category, f"Activity/{_title(self.activity[0])}"],
            "price": self.price,
            "color": self.color,
            "attributes": attributes,
            "image": f"images/{self.id}.png",
        }


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _title(text: str) -> str:
    return "TPE" if text == "tpe" else text.title()


# ---------------------------------------------------------------------------------------------
# Catalogue data


def build_products(seed: int = SEED) -> list[Product]:
    """All products, in catalogue order; deterministic for a given seed."""
    rng = random.Random(seed)
    deck: list[str] = []
    products: list[Product] = []
    for k, kind in enumerate(KINDS):
        words = rng.sample(NAME_WORDS, DESIGNS_PER_KIND)
        for d in range(DESIGNS_PER_KIND):
            n_variants = VARIANT_COUNTS[(d + k) % len(VARIANT_COUNTS)]
            colors: list[str] = []
            while len(colors) < n_variants:
                if not deck:
                    deck = list(COLORS)
                    rng.shuffle(deck)
                color = deck.pop()
                if color not in colors:
                    colors.append(color)
            products.extend(_design(rng, kind, d + 1, words[d], colors))
    return products


def _design(rng: random.Random, kind: Kind, design_no: int, word: str, colors: list[str]) -> list[Product]:
    material = kind.materials[(design_no + rng.randrange(2)) % len(kind.materials)]
    pattern = rng.choice(kind.patterns)
    detail = rng.choice(kind.details)
    accent_choice = rng.choice(["White", "Black", "Gray", "Yellow", "Blue", "Red"])
    lo, hi = kind.price
    factor = {"leather": 1.45, "cashmere": 1.7, "silk": 1.5, "wool": 1.25, "cork": 1.3, "stainless steel": 1.2}
    price = min(hi * 1.4, (lo + (hi - lo) * rng.random()) * factor.get(material, 1.0))
    price = float(round(price) - 0.01) if rng.random() < 0.7 else float(round(price))
    climate = _climate(kind, material)
    activity = tuple(rng.sample(kind.activities, rng.choice((1, 2))))
    style = tuple(rng.sample(kind.styles, rng.choice((1, 2))))
    flags = _flags(kind, material, rng)
    fit = rng.choice(kind.fits)
    features = rng.sample(kind.features, 2)
    products = []
    for color in colors:
        accent = _accent(color, accent_choice, pattern)
        plural = kind.singular == kind.plural
        words = dict(
            noun=kind.singular.lower(),
            this="these" if plural else "this",
            has="have" if plural else "has",
            pairs="pair" if plural else "pairs",
            comes="come" if plural else "comes",
            are="are" if plural else "is",
            design=word,
            material=rng.choice(MATERIAL_PHRASES[material]),
            pattern=rng.choice(PATTERN_PHRASES[pattern]),
            fit=fit,
            feat1=features[0],
            feat2=features[1],
            color=color.lower(),
            a_color=_a(color.lower(), plural),
            climate=_climate_phrase(climate),
            act1=ACTIVITY_PHRASES[activity[0]],
            act2=ACTIVITY_PHRASES[activity[-1]] if len(activity) > 1 else _other_use(activity[0]),
            style=style[0],
            a_style=_a(style[0], plural),
            detail=detail,
        )
        fields = dict(
            kind=kind, design_no=design_no, design_name=word, material=material, pattern=pattern, detail=detail,
            color=color, accent=accent, price=price, climate=climate, activity=activity, style=style, flags=flags,
        )  # fmt: skip
        products.append(Product(**fields, description=_describe(rng, words)))
    return products


def _climate(kind: Kind, material: str) -> tuple[str, ...]:
    if material in ("wool", "fleece", "cashmere"):
        return ("cool weather",) + tuple(c for c in kind.climate if c not in ("warm weather", "cool weather"))
    if material == "linen":
        return ("warm weather",)
    return kind.climate


def _flags(kind: Kind, material: str, rng: random.Random) -> tuple[tuple[str, bool], ...]:
    flags: list[tuple[str, bool]] = [("eco_friendly", material in ("organic cotton", "cork") or rng.random() < 0.15)]
    if kind.slug in ("jacket", "backpack", "sneakers"):
        flags.append(("waterproof", material in ("nylon", "polyester") and rng.random() < 0.7))
    if kind.slug == "jacket":
        flags.append(("insulated", material in ("wool", "leather") or rng.random() < 0.4))
    if kind.slug == "water-bottle":
        flags.append(("insulated", material == "stainless steel"))
    if kind.slug == "sunglasses":
        flags.append(("polarized", rng.random() < 0.5))
    if kind.slug == "watch":
        flags.append(("water_resistant", True))
    return tuple(flags)


def _accent(color: str, choice: str, pattern: str) -> str:
    """The secondary colour a pattern is drawn in: contrasting with the item colour."""
    if pattern == "color-blocked":
        options = [choice, "Gray", "Black", "White"]
    else:
        options = ["Black", "Blue", "Gray"] if color in LIGHT_COLORS else ["White", choice, "Yellow"]
    return next(c for c in options if c != color)


INTROS = (
    ("The {design} {noun} {are} cut from {material} with {pattern} and {fit}.",
     "The {design} {noun} {comes} in {color} {material} with {pattern} and {fit}."),
    ("{a_style} {noun} made from {material}, finished with {pattern}.",
     "{a_color} {style} {noun} made from {material}, finished with {pattern}."),
    ("Made from {material}, {this} {noun} {has} {fit} and {pattern}.",
     "Made from {material}, {this} {color} {noun} {has} {fit} and {pattern}."),
    ("Our {design} {noun} {pairs} {material} with {pattern}.",
     "Our {design} {noun} {pairs} {color} {material} with {pattern}."),
)  # fmt: skip
FEATURES = (
    "Key features: {feat1} and {feat2}.",
    "Details include {feat1} and {feat2}.",
    "Look for {feat1}, plus {feat2}.",
    "Expect {feat1} and {feat2}.",
)
USES = (
    "Ideal for {act1} and {act2} in {climate}.",
    "A go-to in {climate}, from {act1} to {act2}.",
    "Built for {act1} in {climate}.",
    "Easy to reach for, whether for {act1} or just out and about.",
)
ACTIVITY_PHRASES = {
    "casual": "everyday wear", "gym": "the gym", "running": "running", "travel": "travel", "lounging": "lounging",
    "hiking": "hiking", "commuting": "commuting", "cycling": "cycling", "beach": "the beach", "yoga": "yoga",
}  # fmt: skip
COLOR_SENTENCES = ("Shown here in {color}.", "This colourway is {color}.")


def _describe(rng: random.Random, words: dict[str, str]) -> str:
    """Two or three sentences; about half of them name the colour."""
    mention = rng.random() < 0.5
    intro = rng.choice(INTROS)
    colour_in_intro = mention and rng.random() < 0.6
    sentences = [intro[1] if colour_in_intro else intro[0]]
    extra = [rng.choice(FEATURES), rng.choice(USES)]
    if mention and not colour_in_intro:
        extra = [rng.choice(extra), rng.choice(COLOR_SENTENCES)]
    elif rng.random() < 0.35:
        extra = [rng.choice(extra)]
    sentences += extra
    text = " ".join(s.format(**words) for s in sentences)
    return text[0].upper() + text[1:]


def _other_use(activity: str) -> str:
    return "weekends away" if activity == "casual" else "everyday wear"


def _a(word: str, plural: bool) -> str:
    """``word`` with the indefinite article a singular noun after it needs."""
    if plural:
        return word
    return ("an " if word[0] in "aeiou" else "a ") + word


def _climate_phrase(climate: Sequence[str]) -> str:
    if {"warm weather", "cool weather"} <= set(climate):
        return "any season"
    return ", ".join(c.removesuffix(" weather") for c in climate) + " weather"


# ---------------------------------------------------------------------------------------------
# Drawing


def _mix(a: Sequence[float], b: Sequence[float], t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _lum(c: Sequence[float]) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def _detail(c: RGB, strength: float = 1.0) -> RGB:
    """A seam/trim colour visible on ``c``: darker on light colours, lighter on dark ones."""
    if _lum(c) < 70:
        return _mix(c, (255, 255, 255), 0.22 * strength)
    return _mix(c, (0, 0, 0), 0.32 * strength)


class Mask:
    """A binary shape on the drawing canvas; coordinates are design coordinates (0..512, centred)."""

    def __init__(self, sketch: Sketch) -> None:
        self.image = Image.new("L", (S, S), 0)
        self._draw = ImageDraw.Draw(self.image)
        self._t = sketch.t
        self._w = sketch.w

    def _box(self, box: Sequence[float]) -> list[float]:
        (x0, y0), (x1, y1) = self._t(box[0], box[1]), self._t(box[2], box[3])
        return [x0, y0, x1, y1]

    def poly(self, pts: Sequence[tuple[float, float]], on: bool = True) -> Mask:
        self._draw.polygon([self._t(*p) for p in pts], fill=255 if on else 0)
        return self

    def ellipse(self, box: Sequence[float], on: bool = True) -> Mask:
        self._draw.ellipse(self._box(box), fill=255 if on else 0)
        return self

    def rect(self, box: Sequence[float], radius: float = 0, on: bool = True) -> Mask:
        self._draw.rounded_rectangle(self._box(box), radius=self._w(radius), fill=255 if on else 0)
        return self

    def line(self, pts: Sequence[tuple[float, float]], width: float, on: bool = True) -> Mask:
        self._draw.line([self._t(*p) for p in pts], fill=255 if on else 0, width=self._w(width), joint="curve")
        return self

    def arc(self, box: Sequence[float], start: float, end: float, width: float) -> Mask:
        self._draw.arc(self._box(box), start, end, fill=255, width=self._w(width))
        return self

    def ring(self, box: Sequence[float], width: float) -> Mask:
        self._draw.ellipse(self._box(box), outline=255, width=self._w(width))
        return self

    def chord(self, box: Sequence[float], start: float, end: float) -> Mask:
        self._draw.chord(self._box(box), start, end, fill=255)
        return self

    def clip(self, other: Mask) -> Mask:
        """Keep only the part inside ``other``."""
        self.image = Image.fromarray(np.minimum(np.asarray(self.image), np.asarray(other.image)))
        self._draw = ImageDraw.Draw(self.image)
        return self


class Sketch:
    """One product drawing: masks filled in order (flat, patterned or shaded), then a shadow and background."""

    def __init__(self, product: Product, rng: random.Random) -> None:
        self.product = product
        self.base = COLORS[product.color]
        self.accent = COLORS[product.accent]
        self._scale = rng.uniform(0.9, 1.0)
        self._dx, self._dy = rng.uniform(-8, 8), rng.uniform(-8, 8)
        tint = rng.choice(((0, 0, 0), (3, 0, -4), (-3, 0, 3), (2, 1, -1)))
        level = rng.randint(238, 248)
        self.background = tuple(min(255, level + t) for t in tint)
        self.rgb = np.zeros((S, S, 3), np.float32)
        self.alpha = np.zeros((S, S), np.float32)

    def t(self, x: float, y: float) -> tuple[float, float]:
        c = S / 2
        return ((x - c) * self._scale + c + self._dx, (y - c) * self._scale + c + self._dy)

    def w(self, width: float) -> int:
        return max(1, int(round(width * self._scale)))

    def mask(self) -> Mask:
        return Mask(self)

    def fill(self, mask: Mask, paint: RGB | None = None, shading: str = "soft", outline: bool = True) -> None:
        """Paint ``mask`` with a colour (default: the item colour with its pattern), shaded and outlined."""
        box = mask.image.getbbox()
        if box is None:
            return
        pad = 24 if shading == "soft" else 3
        crop = (max(0, box[0] - pad), max(0, box[1] - pad), min(S, box[2] + pad), min(S, box[3] + pad))
        region = mask.image.crop(crop)
        a = np.asarray(region, np.float32) / 255.0
        base = self.base if paint is None else paint
        col = self._pattern(crop, box) if paint is None else np.broadcast_to(np.array(base, np.float32), (*a.shape, 3))
        if shading != "flat":
            col = self._shade(col, region, crop, box, shading, base)
        if outline:
            edge = a - np.asarray(region.filter(ImageFilter.MinFilter(5)), np.float32) / 255.0
            col = col * (1 - edge[..., None]) + np.array(_detail(base, 0.9), np.float32) * edge[..., None]
        view = (slice(crop[1], crop[3]), slice(crop[0], crop[2]))
        self.rgb[view] = self.rgb[view] * (1 - a[..., None]) + col * a[..., None]
        self.alpha[view] = np.maximum(self.alpha[view], a)

    def flat(self, mask: Mask, paint: RGB) -> None:
        self.fill(mask, paint, shading="flat", outline=False)

    def _grid(self, crop: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
        yy, xx = np.mgrid[crop[1] : crop[3], crop[0] : crop[2]].astype(np.float32)
        return xx, yy

    def _pattern(self, crop: tuple[int, int, int, int], box: tuple[int, int, int, int]) -> np.ndarray:
        base = np.array(self.base, np.float32)
        accent = np.array(self.accent, np.float32)
        x, y = self._grid(crop)
        pattern, kind = self.product.pattern, self.product.kind
        period = 40 * self._scale
        x0, y0, x1, y1 = box
        if pattern == "striped":
            coord = x - x0 if kind.stripes == "v" else y - y0
            sel = (coord % period) < period * 0.36
        elif pattern == "dotted":
            row = np.floor(y / period)
            dx = (x + (row % 2) * period / 2) % period - period / 2
            dy = y % period - period / 2
            sel = dx * dx + dy * dy < (period * 0.19) ** 2
        elif pattern == "checked":
            band = period * 0.34
            h = (y % period) < band
            v = (x % period) < band
            t = np.where(h & v, 0.85, np.where(h | v, 0.45, 0.0)).astype(np.float32)
            return base + (accent - base) * t[..., None]
        elif pattern == "color-blocked":
            sel = {
                "top": y < y0 + 0.38 * (y1 - y0),
                "bottom": y > y1 - 0.32 * (y1 - y0),
                "left": x < x0 + 0.36 * (x1 - x0),
                "right": x > x1 - 0.3 * (x1 - x0),
            }[kind.block]
        else:
            return np.broadcast_to(base, (*x.shape, 3))
        return np.where(sel[..., None], accent, base)

    def _shade(
        self, col: np.ndarray, region: Image.Image, crop: tuple[int, ...], box: tuple[int, ...], mode: str, base: RGB
    ) -> np.ndarray:
        """Soft edge darkening (flat-lay look) or a cylinder profile with a specular highlight."""
        lift = 24 if _lum(base) < 70 else 0
        if mode == "soft":
            inner = np.asarray(region.filter(ImageFilter.GaussianBlur(14)), np.float32) / 255.0
            return np.clip(col * (0.78 + 0.22 * inner)[..., None] + lift * inner[..., None], 0, 255)
        x, y = self._grid(crop)
        t = (x - box[0]) / (box[2] - box[0]) if mode == "cyl_x" else (y - box[1]) / (box[3] - box[1])
        t = np.clip(t, 0, 1)
        mul = 0.74 + 0.34 * np.clip(np.sin(np.pi * t), 0, 1) ** 0.7
        spec = np.exp(-(((t - 0.3) / 0.07) ** 2)) * 70 + lift * mul
        return np.clip(col * mul[..., None] + spec[..., None], 0, 255)

    def render(self) -> Image.Image:
        """Composite over the background with a soft drop shadow and reduce to SIZE×SIZE."""
        bg = np.broadcast_to(np.array(self.background, np.float32), (S, S, 3))
        silhouette = Image.fromarray((self.alpha * 255).astype(np.uint8))
        shadow = silhouette.transform(silhouette.size, Image.AFFINE, (1, 0, -8, 0, 1, -14)).filter(
            ImageFilter.GaussianBlur(12)
        )
        shade = 1 - 0.2 * np.asarray(shadow, np.float32)[..., None] / 255.0
        out = bg * shade * (1 - self.alpha[..., None]) + self.rgb * self.alpha[..., None]
        image = Image.fromarray(np.clip(np.round(out), 0, 255).astype(np.uint8), "RGB")
        return image.reduce(S // SIZE)


def _draw_tshirt(sk: Sketch, p: Product) -> None:
    body = [(206, 98), (148, 116), (78, 176), (112, 238), (150, 216), (152, 430)]
    sk.fill(sk.mask().poly(_mirror(body)))
    sk.flat(sk.mask().ellipse((210, 78, 302, 126)), _mix(sk.base, (0, 0, 0), 0.35))
    sk.flat(sk.mask().arc((206, 74, 306, 132), 0, 180, 10), _detail(sk.base, 0.5))
    d = _detail(sk.base, 0.6)
    sk.flat(sk.mask().line([(112, 238), (150, 216)], 4).line([(334, 254 - 38), (400, 238)], 4), d)
    sk.flat(sk.mask().line([(152, 420), (360, 420)], 3), d)


def _draw_top_long(sk: Sketch) -> None:
    body = [(204, 100), (142, 118), (104, 160), (72, 392), (114, 400), (148, 222), (150, 436)]
    sk.fill(sk.mask().poly(_mirror(body)))
    rib = _detail(sk.base, 0.45)
    sk.fill(sk.mask().poly([(150, 410), (362, 410), (362, 440), (150, 440)]), rib, outline=False)
    sk.fill(sk.mask().poly([(73, 372), (117, 378), (114, 402), (70, 396)]), rib, outline=False)
    sk.fill(sk.mask().poly([(512 - 73, 372), (512 - 117, 378), (512 - 114, 402), (512 - 70, 396)]), rib, outline=False)


def _draw_hoodie(sk: Sketch, p: Product) -> None:
    sk.fill(sk.mask().ellipse((180, 44, 332, 170)), _mix(sk.base, (0, 0, 0), 0.2))
    _draw_top_long(sk)
    sk.flat(sk.mask().ellipse((212, 80, 300, 150)), _mix(sk.base, (0, 0, 0), 0.45))
    d = _detail(sk.base, 0.7)
    sk.flat(sk.mask().line([(184, 300), (328, 300), (350, 392), (162, 392), (184, 300)], 4), d)
    cord = (236, 236, 232) if p.color != "White" else (60, 60, 64)
    sk.flat(sk.mask().line([(238, 148), (234, 236)], 5).line([(274, 148), (278, 236)], 5), cord)


def _draw_jacket(sk: Sketch, p: Product) -> None:
    _draw_top_long(sk)
    collar = _mix(sk.base, (0, 0, 0), 0.15)
    sk.fill(sk.mask().poly([(200, 70), (256, 80), (312, 70), (320, 112), (256, 124), (192, 112)]), collar)
    metal = (90, 92, 98) if _lum(sk.base) > 90 else (200, 200, 204)
    sk.flat(sk.mask().line([(256, 122), (256, 412)], 5), metal)
    sk.flat(sk.mask().rect((248, 140, 264, 170), 3), metal)
    d = _detail(sk.base, 0.8)
    sk.flat(sk.mask().line([(178, 300), (206, 370)], 5).line([(334, 300), (306, 370)], 5), d)
    sk.flat(sk.mask().line([(288, 170), (328, 170)], 4), d)


def _draw_pants(sk: Sketch, p: Product) -> None:
    legs = [(170, 96), (342, 96), (356, 450), (272, 450), (256, 176), (240, 450), (156, 450)]
    sk.fill(sk.mask().poly(legs))
    sk.fill(sk.mask().rect((166, 68, 346, 100), 4), _mix(sk.base, (0, 0, 0), 0.12))
    stitch = (214, 164, 60) if p.material == "denim" else _detail(sk.base, 0.7)
    sk.flat(sk.mask().line([(256, 100), (256, 160), (270, 176)], 4), stitch)
    sk.flat(sk.mask().arc((140, 60, 224, 160), 0, 90, 4).arc((288, 60, 372, 160), 90, 180, 4), stitch)
    sk.flat(sk.mask().rect((196, 64, 206, 104)).rect((306, 64, 316, 104)), _detail(sk.base, 0.5))
    sk.flat(sk.mask().line([(158, 436), (240, 436)], 3).line([(272, 436), (354, 436)], 3), stitch)


def _draw_shorts(sk: Sketch, p: Product) -> None:
    legs = [(150, 170), (362, 170), (384, 350), (272, 362), (256, 250), (240, 362), (128, 350)]
    sk.fill(sk.mask().poly(legs))
    sk.fill(sk.mask().rect((148, 138, 364, 174), 6), _mix(sk.base, (0, 0, 0), 0.15))
    d = (214, 164, 60) if p.material == "denim" else _detail(sk.base, 0.7)
    sk.flat(sk.mask().line([(236, 174), (232, 210)], 4).line([(276, 174), (280, 210)], 4), d)
    sk.flat(sk.mask().line([(131, 334), (240, 346)], 3).line([(272, 346), (381, 334)], 3), d)


def _draw_dress(sk: Sketch, p: Product) -> None:
    body = [(204, 104), (190, 160), (214, 234), (118, 452), (256, 462)]
    m = sk.mask().poly(_mirror(body)).ellipse((212, 72, 300, 134), on=False)
    m.line([(214, 108), (214, 56)], 12).line([(298, 108), (298, 56)], 12)
    sk.fill(m)
    d = _detail(sk.base, 0.7)
    sk.flat(sk.mask().line([(214, 234), (298, 234)], 5), d)
    for x0, x1 in ((236, 200), (256, 256), (276, 312)):
        sk.flat(sk.mask().line([(x0, 250), (x1, 440)], 2), _detail(sk.base, 0.35))


def _draw_skirt(sk: Sketch, p: Product) -> None:
    sk.fill(sk.mask().poly([(178, 130), (334, 130), (396, 392), (256, 404), (116, 392)]))
    sk.fill(sk.mask().rect((174, 104, 338, 134), 4), _mix(sk.base, (0, 0, 0), 0.15))
    for x0, x1 in ((208, 170), (236, 222), (276, 290), (304, 342)):
        sk.flat(sk.mask().line([(x0, 140), (x1, 392)], 3), _detail(sk.base, 0.45))


def _draw_sneakers(sk: Sketch, p: Product) -> None:
    sole = {"white": (236, 236, 232), "gum": (186, 134, 78), "black": (40, 40, 44)}[p.detail]
    if p.color == "White" and p.detail == "white":
        sole = (200, 200, 198)
    upper = [
        (100, 340), (94, 282), (104, 226), (150, 214), (196, 232), (234, 214), (262, 178), (290, 186),
        (304, 226), (360, 256), (414, 280), (438, 318), (436, 340),
    ]  # fmt: skip
    sk.fill(sk.mask().poly(upper))
    sk.flat(sk.mask().ellipse((112, 206, 200, 236)), _mix(sk.base, (0, 0, 0), 0.5))
    sk.fill(sk.mask().rect((84, 332, 446, 376), 20), sole)
    sk.flat(sk.mask().line([(96, 352), (434, 352)], 3), _detail(sole, 0.4))
    lace = (245, 245, 242) if p.color != "White" else (70, 70, 74)
    m = sk.mask()
    for i in range(5):
        x, y = 262 + i * 18, 212 + i * 11
        m.line([(x - 10, y + 12), (x + 14, y - 8)], 6)
    sk.flat(m, lace)
    sk.flat(sk.mask().line([(150, 300), (250, 280), (330, 300)], 6), _detail(sk.base, 0.6))


def _draw_backpack(sk: Sketch, p: Product) -> None:
    strap = _mix(sk.base, (0, 0, 0), 0.4)
    sk.fill(sk.mask().arc((214, 56, 298, 140), 180, 360, 14), strap, outline=False)
    sk.fill(sk.mask().rect((128, 150, 162, 400), 14).rect((350, 150, 384, 400), 14), strap)
    sk.fill(sk.mask().rect((150, 96, 362, 444), 70))
    d = _detail(sk.base, 0.7)
    sk.fill(sk.mask().rect((182, 286, 330, 420), 34), None)
    sk.flat(sk.mask().rect((182, 286, 330, 420), 34).rect((187, 291, 325, 415), 30, on=False), d)
    sk.flat(sk.mask().arc((172, 118, 340, 300), 200, 340, 4).line([(196, 316), (316, 316)], 4), d)
    sk.flat(sk.mask().rect((246, 306, 266, 334), 4), (200, 200, 204))


def _draw_cap(sk: Sketch, p: Product) -> None:
    sk.fill(sk.mask().ellipse((52, 262, 262, 322)), _mix(sk.base, (0, 0, 0), 0.25))
    sk.fill(sk.mask().chord((136, 150, 390, 420), 180, 360))
    d = _detail(sk.base, 0.7)
    sk.flat(sk.mask().arc((200, 150, 326, 420), 180, 270, 3).arc((200, 150, 326, 420), 270, 360, 3), d)
    sk.flat(sk.mask().line([(140, 282), (386, 282)], 6), d)
    sk.flat(sk.mask().ellipse((248, 142, 278, 160)), d)
    sk.fill(sk.mask().poly([(136, 286), (52, 296), (60, 312), (150, 302)]), _mix(sk.base, (0, 0, 0), 0.1))
    for i in range(3):
        sk.flat(sk.mask().ellipse((300 + i * 18, 196 + i * 8, 308 + i * 18, 204 + i * 8)), d)


def _draw_watch(sk: Sketch, p: Product) -> None:
    metal = METALS[p.detail]
    sk.fill(sk.mask().rect((206, 30, 306, 482), 30))
    d = _detail(sk.base, 0.8)
    for y in (392, 420, 448):
        sk.flat(sk.mask().ellipse((249, y, 263, y + 14)), d)
    sk.fill(sk.mask().rect((194, 84, 318, 116), 6).rect((204, 92, 308, 108), 2, on=False), metal, outline=False)
    sk.fill(sk.mask().rect((338, 238, 364, 274), 6), metal)
    sk.fill(sk.mask().ellipse((150, 150, 362, 362)), metal, shading="cyl_x")
    dial = (28, 30, 36) if p.color in LIGHT_COLORS or p.detail == "gold" else (244, 242, 236)
    sk.fill(sk.mask().ellipse((170, 170, 342, 342)), dial, outline=False)
    mark = (240, 240, 236) if _lum(dial) < 100 else (40, 40, 44)
    m = sk.mask()
    for i in range(12):
        angle = np.deg2rad(i * 30)
        r0, r1 = (60, 78) if i % 3 == 0 else (68, 78)
        m.line([(256 + r0 * np.sin(angle), 256 - r0 * np.cos(angle)), (256 + r1 * np.sin(angle), 256 - r1 * np.cos(angle))], 5)  # fmt: skip
    m.line([(256, 256), (256, 196)], 7).line([(256, 256), (304, 276)], 6)
    sk.flat(m, mark)
    sk.flat(sk.mask().line([(256, 270), (222, 202)], 2), sk.base if _lum(sk.base) > 60 else (210, 40, 40))


def _draw_scarf(sk: Sketch, p: Product) -> None:
    loop = sk.mask().ring((196, 70, 348, 250), 58).clip(sk.mask().rect((180, 60, 364, 172)))
    sk.fill(loop, _mix(sk.base, (0, 0, 0), 0.18))
    sk.fill(sk.mask().poly([(290, 160), (348, 160), (358, 420), (298, 426)]))
    sk.fill(sk.mask().poly([(196, 160), (254, 160), (278, 300), (258, 452), (196, 452)]))
    m = sk.mask()
    for i in range(8):
        m.line([(200 + i * 8, 450), (199 + i * 8, 474)], 4)
        m.line([(300 + i * 8, 424), (301 + i * 8, 446)], 4)
    sk.flat(m, sk.base)


def _draw_socks(sk: Sketch, p: Product) -> None:
    for dx, dy, darken in ((96, 28, 0.2), (0, 0, 0.0)):
        leg = sk.mask().rect((136 + dx, 70 + dy, 222 + dx, 320 + dy), 10)
        leg.rect((136 + dx, 250 + dy, 330 + dx, 340 + dy), 44).ellipse((128 + dx, 246 + dy, 230 + dx, 342 + dy))
        sk.fill(leg, _mix(sk.base, (0, 0, 0), darken) if darken else None)
        rib = sk.mask().rect((136 + dx, 70 + dy, 222 + dx, 108 + dy), 10)
        sk.fill(rib, _mix(sk.base, (0, 0, 0), 0.2 + darken), outline=False)
        trim = _detail(sk.base, 0.6 + darken)
        sk.flat(sk.mask().chord((272 + dx, 250 + dy, 330 + dx, 340 + dy), 270, 90), trim)
        sk.flat(sk.mask().chord((128 + dx, 270 + dy, 196 + dx, 342 + dy), 90, 200), trim)


def _draw_sunglasses(sk: Sketch, p: Product) -> None:
    lens = {"dark": (36, 40, 48), "brown": (88, 60, 40), "blue": (34, 58, 96)}[p.detail]
    frame = sk.mask()
    for cx in (170, 342):
        frame.rect((cx - 84, 186, cx + 84, 322), 48)
    frame.line([(96, 204), (44, 196)], 16).line([(416, 204), (468, 196)], 16)
    frame.arc((226, 206, 286, 270), 200, 340, 16)
    sk.fill(frame, shading="soft")
    for cx in (170, 342):
        sk.fill(sk.mask().rect((cx - 64, 204, cx + 64, 304), 36), lens, shading="cyl_y", outline=False)
        sk.flat(sk.mask().line([(cx - 40, 290), (cx + 10, 214)], 8), _mix(lens, (255, 255, 255), 0.25))


def _draw_bottle(sk: Sketch, p: Product) -> None:
    cap = {"silver": (190, 193, 200), "black": (40, 40, 44), "white": (232, 232, 228)}[p.detail]
    if p.color == "Black" and p.detail == "black":
        cap = (96, 98, 104)
    sk.fill(sk.mask().arc((228, 36, 284, 96), 180, 360, 10), cap, outline=False)
    sk.fill(sk.mask().rect((214, 60, 298, 120), 12), cap, shading="cyl_x")
    sk.fill(sk.mask().poly([(226, 116), (286, 116), (318, 168), (194, 168)]).rect((194, 140, 318, 456), 36),
            shading="cyl_x")  # fmt: skip
    sk.flat(sk.mask().line([(206, 150), (306, 150)], 3), _detail(sk.base, 0.35))


def _draw_yoga_mat(sk: Sketch, p: Product) -> None:
    sk.fill(sk.mask().rect((110, 196, 400, 316)).ellipse((80, 196, 140, 316)), shading="cyl_y")
    end = _mix(sk.base, (255, 255, 255), 0.15)
    sk.fill(sk.mask().ellipse((370, 196, 430, 316)), end, outline=True)
    m = sk.mask()
    for r in (44, 32, 20, 9):
        m.ring((400 - r * 0.5, 256 - r, 400 + r * 0.5, 256 + r), 3)
    sk.flat(m, _detail(sk.base, 0.6))
    strap = (46, 46, 50) if _lum(sk.base) > 80 else (200, 200, 196)
    sk.fill(sk.mask().arc((176, 120, 336, 280), 180, 360, 10), strap, outline=False)
    sk.fill(sk.mask().rect((170, 190, 190, 322), 4).rect((322, 190, 342, 322), 4), strap, shading="cyl_y")


def _mirror(half: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """A left-half outline (top to bottom) closed with its mirror image about x = 256."""
    return list(half) + [(S - x, y) for x, y in reversed(half)]


DRAWERS: dict[str, Callable[[Sketch, Product], None]] = {
    "t-shirt": _draw_tshirt,
    "hoodie": _draw_hoodie,
    "jacket": _draw_jacket,
    "pants": _draw_pants,
    "shorts": _draw_shorts,
    "dress": _draw_dress,
    "skirt": _draw_skirt,
    "sneakers": _draw_sneakers,
    "backpack": _draw_backpack,
    "cap": _draw_cap,
    "watch": _draw_watch,
    "scarf": _draw_scarf,
    "socks": _draw_socks,
    "sunglasses": _draw_sunglasses,
    "water-bottle": _draw_bottle,
    "yoga-mat": _draw_yoga_mat,
}


def render(product: Product) -> Image.Image:
    """The product's SIZE×SIZE RGB product shot."""
    sketch = Sketch(product, random.Random(zlib.crc32(product.id.encode())))
    DRAWERS[product.kind.slug](sketch, product)
    return sketch.render()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def items_jsonl(products: Sequence[Product]) -> str:
    return "".join(json.dumps(p.record(), ensure_ascii=False) + "\n" for p in products)


def write_catalog(out: Path, seed: int = SEED) -> list[Product]:
    """Write ``items.jsonl`` and ``images/<id>.png`` into ``out``, removing stale images."""
    products = build_products(seed)
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    wanted = {f"{p.id}.png" for p in products}
    for stale in images.glob("*.png"):
        if stale.name not in wanted:
            stale.unlink()
    for product in products:
        (images / f"{product.id}.png").write_bytes(png_bytes(render(product)))
    (out / "items.jsonl").write_text(items_jsonl(products), encoding="utf-8")
    return products


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    products = write_catalog(args.out)
    kinds = {p.kind.slug for p in products}
    colors = {p.color for p in products}
    print(f"wrote {len(products)} items ({len(kinds)} types, {len(colors)} colours) to {args.out}")


if __name__ == "__main__":
    main()
