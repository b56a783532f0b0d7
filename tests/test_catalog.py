import json
from pathlib import Path

import pytest

from mmrec.catalog import load_catalog
from mmrec.errors import CatalogError, UnknownItemError


def write_items(folder: Path, records: list, raw_lines: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in records] + list(raw_lines)
    (folder / "items.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def test_luma_catalog_loads_unchanged_with_every_field(luma_dir):
    catalog = load_catalog(luma_dir)
    assert len(catalog) == 460
    assert not catalog.issues
    item = catalog.get("MH01-black")
    assert item.name == "Chaz Kangeroo Hoodie (Black)"
    assert item.color == "Black" and item.price == 52.0
    assert item.leaf_category == "Hoodies & Sweatshirts"
    assert "Wool" in item.attributes["material"]
    assert item.image is not None and item.image.is_file()
    assert item.extra["parent_sku"] == "MH01"
    assert len(catalog.reviews) > 300


def test_broken_records_are_reported_and_skipped_not_fatal(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"x")
    folder = write_items(
        tmp_path,
        [
            {"id": "a", "name": "Good", "price": 10, "image": "images/a.png"},
            {"id": "a", "name": "Duplicate"},
            {"name": "No id"},
            {"id": "b"},
            {"id": "c", "name": "Bad price", "price": "cheap"},
            {"id": "d", "name": "Missing image", "image": "images/missing.png"},
        ],
        raw_lines=("{not json",),
    )
    catalog = load_catalog(folder)
    assert catalog.ids == ["a", "d"]
    assert catalog.get("d").image is None
    messages = " | ".join(str(i) for i in catalog.issues)
    for expected in (
        "duplicate id",
        "missing field 'id'",
        "missing field 'name'",
        "not a number",
        "missing.png",
        "not valid JSON",
    ):
        assert expected in messages


def test_missing_images_can_be_required(tmp_path):
    folder = write_items(tmp_path, [{"id": "a", "name": "A", "image": "images/nope.jpg"}, {"id": "b", "name": "B"}])
    assert load_catalog(folder, require_images=True).ids == ["b"]


def test_csv_catalog_is_accepted(tmp_path):
    (tmp_path / "items.csv").write_text(
        "id,name,description,categories,price,color,attributes\n"
        'x1,Red Tee,"A soft tee.",Clothing/Tops/Tees|Sale,19.5,Red,"{""material"": [""Cotton""]}"\n'
    )
    item = load_catalog(tmp_path).get("x1")
    assert item.categories == ("Clothing/Tops/Tees", "Sale")
    assert item.price == 19.5 and item.attributes == {"material": ["Cotton"]}


def test_unusable_folders_raise_catalog_error_naming_the_path(tmp_path):
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "nowhere")
    with pytest.raises(CatalogError, match="neither items.jsonl nor items.csv"):
        load_catalog(tmp_path)
    write_items(tmp_path, [{"name": "no id"}])
    with pytest.raises(CatalogError, match="no usable items"):
        load_catalog(tmp_path)


def test_unknown_item_id_is_a_typed_error(luma_mini_dir):
    catalog = load_catalog(luma_mini_dir)
    with pytest.raises(UnknownItemError, match="no-such"):
        catalog.position("no-such")


def test_content_hash_changes_when_an_item_changes(tmp_path):
    write_items(tmp_path, [{"id": "a", "name": "A"}])
    first = load_catalog(tmp_path).content_hash()
    write_items(tmp_path, [{"id": "a", "name": "A2"}])
    assert load_catalog(tmp_path).content_hash() != first
