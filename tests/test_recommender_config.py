"""RecommenderConfig: shipped defaults, a content id, JSON round trip, errors that list valid values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mmrec.errors import ConfigError
from mmrec.recommender_config import default_config, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_ship_with_the_package_and_hold_todays_fusion_weights():
    config = default_config()
    assert dict(config.weights) == {"text": 1.0, "image": 0.8, "clip_text": 0.6, "attributes": 0.5, "prior": 0.1}
    assert config.feedback.like == 1.0 and config.feedback.dislike == -0.7 and config.decay == 0.85


def test_the_id_is_a_hash_of_the_content_not_the_name():
    assert load_config(name="arm-a").id == default_config().id
    assert load_config(weights={"text": 0.9}).id != default_config().id


def test_a_saved_config_loads_back_equal_with_the_same_id(tmp_path):
    config = load_config(name="arm-b", diversity=0.3, weights={"prior": 0.0}, feedback={"dislike": -0.5})
    config.save(tmp_path / "arm-b.json")
    again = load_config(tmp_path / "arm-b.json")
    assert again == config and again.id == config.id and again.name == "arm-b"


def test_an_unknown_fusion_weight_is_an_error_listing_the_valid_scorers():
    with pytest.raises(ConfigError, match=r"'colour'.*valid scorer names: text, image, clip_text, attributes, prior"):
        load_config(weights={"colour": 1.0})


def test_unknown_keys_and_bad_values_are_errors_that_say_what_is_valid(tmp_path):
    with pytest.raises(ConfigError, match="valid keys"):
        load_config(top=3)
    with pytest.raises(ConfigError, match="unknown feedback rule"):
        load_config(feedback={"love": 2.0})
    with pytest.raises(ConfigError, match=r"diversity must be in \[0, 1\)"):
        load_config(diversity=1.0)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config(bad)


def test_a_tampered_id_is_refused(tmp_path):
    data = default_config().to_dict()
    data["decay"] = 0.5
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="does not match its content"):
        load_config(path)


def test_config_show_prints_the_effective_config(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"name": "study-b", "weights": {"image": 0.2}}))
    out = subprocess.run(
        [sys.executable, "-m", "mmrec", "config", "show", "--config", str(tmp_path / "c.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    ).stdout
    shown = json.loads(out)
    assert shown["name"] == "study-b" and shown["weights"]["image"] == 0.2 and shown["weights"]["text"] == 1.0
    assert shown["id"] == load_config(tmp_path / "c.json").id
