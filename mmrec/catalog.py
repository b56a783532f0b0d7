"""The product catalog: one on-disk format, loaded into typed, validated items.

Format: a folder holding ``items.jsonl`` (one JSON object per line) or ``items.csv``, plus the images
the items name (usually ``images/<id>.jpg``). Fields:

========== ======== ==================================================================
field      required meaning
========== ======== ==================================================================
id         yes      unique, stable string
name       yes      display name
description no      plain text
categories no       list of ``A/B/C`` paths (CSV: separated by ``|``)
price      no       number > 0
color      no       colour name or null
attributes no       object of lists / booleans / numbers (CSV: a JSON object)
image      no       path relative to the folder
========== ======== ==================================================================

Unknown fields are kept in ``Item.extra``. Broken records (missing fields, duplicate ids, bad price,
missing image files) are reported in :attr:`Catalog.issues` and skipped, or loaded without an image,
never a crash. An optional ``reviews.jsonl`` (``item_ids``, ``rating``, ``text``) is read for a
rating prior, and an optional ``links.jsonl`` (``type``, ``from``, ``to``: item ids or product keys,
i.e. a ``parent_sku`` or ``group`` field) for the collaborative scorer.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import CatalogError, UnknownItemError

_KNOWN = {"id", "name", "description", "categories", "price", "color", "attributes", "image"}


@dataclass(frozen=True)
class Item:
    """One product."""

    id: str
    name: str
    description: str = ""
    categories: tuple[str, ...] = ()
    price: float | None = None
    color: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    image: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def category(self) -> str:
        """The main category path (first listed), or ''."""
        return self.categories[0] if self.categories else ""

    @property
    def leaf_category(self) -> str:
        """Last level of the main category, e.g. ``Jackets``."""
        return self.category.rsplit("/", 1)[-1]

    def leaf_names(self) -> set[str]:
        """Every category's last level and, for a compound one, its parts: ``Bras & Tanks`` is also
        ``Bras`` and ``Tanks``, so the women's tanks are among the tanks a shopper asks for."""
        return {name for c in self.categories for name in leaf_parts(c.rsplit("/", 1)[-1])}

    def attribute_words(self) -> list[str]:
        """Attribute values as words: list entries, and the names of true boolean flags."""
        words: list[str] = []
        for key, value in self.attributes.items():
            if isinstance(value, (list, tuple)):
                words.extend(str(v) for v in value)
            elif value is True:
                words.append(key.replace("_", " "))
            elif isinstance(value, str):
                words.append(value)
        return words

    def text(self) -> str:
        """The text a sentence encoder sees for this item: name, category, colour, attributes, description."""
        parts = [self.name]
        if self.categories:
            parts.append("Category: " + ", ".join(c.replace("/", " ") for c in self.categories[:2]))
        if self.color:
            parts.append(f"Color: {self.color}")
        words = self.attribute_words()
        if words:
            parts.append("Attributes: " + ", ".join(words))
        if self.description:
            parts.append(self.description)
        return ". ".join(parts)


@dataclass(frozen=True)
class CatalogIssue:
    """A problem found while loading: where, and what was done about it."""

    line: int
    item_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.item_id})" if self.item_id else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Review:
    """A customer review from the catalog's ``reviews.jsonl``."""

    item_ids: tuple[str, ...]
    rating: int
    text: str


@dataclass(frozen=True)
class Link:
    """A store link ("customers viewing ``source`` are shown ``target``") between the items of two products."""

    kind: str
    source: tuple[str, ...]
    target: tuple[str, ...]


PRODUCT_FIELDS = ("parent_sku", "group")
"""Fields naming the product an item is a variant of, by which links.jsonl may name it."""


class Catalog(Sequence[Item]):
    """An ordered, id-indexed collection of items with the issues met while loading it."""

    def __init__(
        self,
        items: Sequence[Item],
        *,
        root: Path | None = None,
        issues: Sequence[CatalogIssue] = (),
        reviews: Sequence[Review] = (),
        links: Sequence[Link] = (),
        name: str = "",
    ) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self.root = root
        self.issues: tuple[CatalogIssue, ...] = tuple(issues)
        self.reviews: tuple[Review, ...] = tuple(reviews)
        self.links: tuple[Link, ...] = tuple(links)
        self.name = name or (root.name if root else "catalog")
        self._pos = {item.id: i for i, item in enumerate(self.items)}
        if len(self._pos) != len(self.items):
            raise CatalogError("duplicate item ids in catalog")

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):  # type: ignore[override]
        return self.items[i]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._pos

    @property
    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    def position(self, item_id: str) -> int:
        """Row of ``item_id`` in every per-item array; UnknownItemError naming the id if absent."""
        try:
            return self._pos[item_id]
        except KeyError:
            raise UnknownItemError(
                f"unknown item id {item_id!r}: not in catalog {self.name!r} ({len(self)} items)"
            ) from None

    def get(self, item_id: str) -> Item:
        return self.items[self.position(item_id)]

    def content_hash(self) -> str:
        """A hash of every item's content; changes whenever any item does."""
        h = hashlib.sha256()
        for item in self.items:
            h.update(item_key(item).encode())
        return h.hexdigest()[:16]

    def colors(self) -> list[str]:
        return sorted({item.color for item in self.items if item.color})

    def leaf_categories(self) -> list[str]:
        return sorted({item.leaf_category for item in self.items if item.leaf_category})


_COMPOUND = re.compile(r"\s*(?:&|\band\b|,|/)\s*")


def leaf_parts(leaf: str) -> tuple[str, ...]:
    """``leaf`` and, when it joins several kinds ("Hoodies & Sweatshirts"), each of them."""
    parts = [p for p in _COMPOUND.split(leaf) if p]
    return (leaf, *parts) if len(parts) > 1 else (leaf,)


def item_key(item: Item) -> str:
    """A stable per-item content key (text fields; the image file's size and name)."""
    h = hashlib.sha256(item.text().encode())
    if item.image is not None:
        try:
            stat = item.image.stat()
            h.update(f"{item.image.name}:{stat.st_size}".encode())
        except OSError:
            pass
    return h.hexdigest()[:20]


def load_catalog(path: str | Path, *, require_images: bool = False) -> Catalog:
    """Load the catalog in folder ``path`` (``items.jsonl`` or ``items.csv``).

    Records that cannot be used are skipped and listed in ``Catalog.issues``; items whose image file
    is missing are kept without an image (or skipped when ``require_images``). Raises CatalogError
    only when the folder holds no items file or no usable item at all.
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise CatalogError(f"catalog folder {str(root)!r} does not exist or is not a folder")
    if (root / "items.jsonl").is_file():
        records = list(_read_jsonl(root / "items.jsonl"))
    elif (root / "items.csv").is_file():
        records = list(_read_csv(root / "items.csv"))
    else:
        raise CatalogError(f"catalog folder {str(root)!r} has neither items.jsonl nor items.csv")

    items: list[Item] = []
    issues: list[CatalogIssue] = []
    seen: set[str] = set()
    for line, record in records:
        if isinstance(record, str):
            issues.append(CatalogIssue(line, None, f"skipped: {record}"))
            continue
        try:
            item = _parse_item(record, root)
        except ValueError as e:
            issues.append(CatalogIssue(line, _id_of(record), f"skipped: {e}"))
            continue
        if item.id in seen:
            issues.append(CatalogIssue(line, item.id, "skipped: duplicate id"))
            continue
        if item.image is not None and not item.image.is_file():
            if require_images:
                issues.append(CatalogIssue(line, item.id, f"skipped: image {item.image.name} is missing"))
                continue
            issues.append(CatalogIssue(line, item.id, f"image {item.image.name} is missing; loaded without image"))
            item = replace(item, image=None)
        seen.add(item.id)
        items.append(item)
    if not items:
        detail = "; ".join(str(i) for i in issues[:3])
        raise CatalogError(f"catalog {str(root)!r} has no usable items" + (f" ({detail})" if detail else ""))
    reviews = _read_reviews(root / "reviews.jsonl", seen)
    links = _read_links(root / "links.jsonl", items)
    return Catalog(items, root=root, issues=issues, reviews=reviews, links=links)


def _id_of(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    return str(value) if value not in (None, "") else None


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as e:
                yield n, f"not valid JSON ({e.msg})"
                continue
            yield n, record if isinstance(record, dict) else "not a JSON object"


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            record: dict[str, Any] = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
            if "categories" in record:
                record["categories"] = [c.strip() for c in record["categories"].split("|") if c.strip()]
            if "attributes" in record:
                try:
                    record["attributes"] = json.loads(record["attributes"])
                except json.JSONDecodeError:
                    yield n, "attributes is not a JSON object"
                    continue
            yield n, record


def _parse_item(record: dict[str, Any], root: Path) -> Item:
    item_id = _id_of(record)
    if item_id is None:
        raise ValueError("missing field 'id'")
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("missing field 'name'")
    categories = record.get("categories") or []
    if isinstance(categories, str):
        categories = [categories]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise ValueError("'categories' must be a list of strings")
    price = record.get("price")
    if price is not None:
        try:
            price = float(price)
        except (TypeError, ValueError):
            raise ValueError(f"price {price!r} is not a number") from None
        if not price > 0:
            raise ValueError(f"price {price!r} must be > 0")
    attributes = record.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ValueError("'attributes' must be an object")
    image = record.get("image")
    return Item(
        id=item_id,
        name=name.strip(),
        description=str(record.get("description") or "").strip(),
        categories=tuple(categories),
        price=price,
        color=str(record["color"]) if record.get("color") else None,
        attributes=attributes,
        image=(root / str(image)) if image else None,
        extra={k: v for k, v in record.items() if k not in _KNOWN},
    )


def _read_reviews(path: Path, ids: set[str]) -> list[Review]:
    if not path.is_file():
        return []
    reviews = []
    for _, record in _read_jsonl(path):
        if isinstance(record, str):
            continue
        item_ids = tuple(i for i in record.get("item_ids", []) if i in ids)
        rating = record.get("rating")
        if item_ids and isinstance(rating, int) and 1 <= rating <= 5:
            reviews.append(Review(item_ids, rating, str(record.get("text", ""))))
    return reviews


def _read_links(path: Path, items: list[Item]) -> list[Link]:
    """The links whose two ends name items of this catalog (by id or product key); the rest are dropped."""
    if not path.is_file():
        return []
    members: dict[str, list[str]] = {}
    for item in items:
        keys = {item.id, *(str(item.extra[f]) for f in PRODUCT_FIELDS if item.extra.get(f))}
        for key in keys:
            members.setdefault(key, []).append(item.id)
    links = []
    for _, record in _read_jsonl(path):
        if isinstance(record, str):
            continue
        source, target = members.get(str(record.get("from"))), members.get(str(record.get("to")))
        if source and target:
            links.append(Link(str(record.get("type", "related")), tuple(source), tuple(target)))
    return links
