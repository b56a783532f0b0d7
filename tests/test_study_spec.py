import json
from pathlib import Path

import pytest

from mmrec.errors import StudyError
from mmrec.study.spec import DEFAULT_CONSENT, load_study, parse_study

EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example_study.yaml"


def minimal(**extra):
    return {"title": "T", "task": "Find a jacket", "conditions": [{"name": "a"}, {"name": "b"}], **extra}


def test_example_study_loads_with_two_conditions_and_the_resque_default():
    study = load_study(EXAMPLE)
    assert [c.name for c in study.conditions] == ["all inputs", "text only"]
    assert study.condition("text only").inputs == ("text", "list-feedback")
    constructs = {i.construct for i in study.questionnaire}
    assert constructs == {"perceived_accuracy", "explanation", "effort", "satisfaction", "intention_to_use"}
    assert study.completion.url().endswith("cc=C1A2B3")
    assert study.attention_passed({"attention_1": "Strongly disagree"})
    assert not study.attention_passed({"attention_1": "Agree"})


def test_json_study_file_and_default_consent(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(minimal()))
    study = load_study(path)
    assert study.consent == DEFAULT_CONSENT
    assert study.task.min_interactions == 0


def test_unknown_top_level_key_is_named_with_the_valid_ones():
    with pytest.raises(StudyError, match=r"unknown key 'conditons'; valid keys: title, task, conditions, consent"):
        parse_study({**minimal(), "conditons": []})


def test_unknown_condition_key_names_where_it_is():
    bad = minimal(conditions=[{"name": "a", "input": ["text"]}])
    with pytest.raises(StudyError, match=r"conditions\[0\]: unknown key 'input'; valid keys: name, config, overrides"):
        parse_study(bad)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"conditions": [{"name": "a", "inputs": ["smell"]}]},
            r"conditions\[0\].inputs: unknown input 'smell'; valid: text, voice",
        ),
        ({"assignment": {"method": "random"}}, r"assignment.method: unknown method 'random'; valid: balanced, url"),
        (
            {"background": [{"id": "q", "text": "?", "type": "slider"}]},
            r"background\[0\].type: .*valid: choice, number, text",
        ),
        (
            {"attention_checks": [{"id": "c", "text": "?", "expect": "Yes"}]},
            r"attention_checks\[0\].expect: 'Yes' is not a scale label",
        ),
        ({"conditions": [{"name": "a"}, {"name": "a"}]}, r"names must be unique"),
        ({"completion": {"redirect": "javascript:alert(1)"}}, r"completion.redirect: expected an http"),
        ({"task": {"text": "t", "min_seconds": -1}}, r"task.min_seconds: expected a number >= 0"),
    ],
)
def test_invalid_values_are_rejected_with_the_key_and_valid_values(change, message):
    with pytest.raises(StudyError, match=message):
        parse_study({**minimal(), **change})


def test_missing_required_key_and_missing_config_file(tmp_path):
    with pytest.raises(StudyError, match="missing required key 'conditions'"):
        parse_study({"title": "T", "task": "t"})
    with pytest.raises(StudyError, match=r"conditions\[0\].config: cannot read recommender config"):
        parse_study(minimal(conditions=[{"name": "a", "config": "nope.json"}]), base=tmp_path)


def test_condition_config_from_a_json_file(tmp_path):
    (tmp_path / "c.json").write_text('{"weights": {"text": 1.0}}')
    study = parse_study(minimal(conditions=[{"name": "a", "config": "c.json"}]), base=tmp_path)
    assert study.conditions[0].config == {"weights": {"text": 1.0}}


def test_a_condition_ranks_under_its_own_config_with_only_its_inputs():
    study = parse_study(
        minimal(
            conditions=[
                {"name": "text only", "inputs": ["text"], "explanations": False, "overrides": {"diversity": 0.3}},
                {"name": "all"},
            ]
        )
    )
    text_only, everything = (c.recommender() for c in study.conditions)
    assert text_only.name == "text only" and text_only.inputs == ("review", "reset")
    assert not text_only.explanations and text_only.diversity == 0.3
    assert set(everything.inputs) == {"review", "voice", "photo", "like", "dislike", "reset"}
    assert text_only.id != everything.id


def test_a_bad_override_is_named_when_the_file_is_read():
    with pytest.raises(StudyError, match=r"conditions\[0\].*unknown scorer weight.*'colour'"):
        parse_study(minimal(conditions=[{"name": "a", "overrides": {"weights": {"colour": 1}}}]))


def test_app_refuses_a_bad_study_file_with_the_key_and_no_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "study.yaml"
    bad.write_text("title: T\ntask: t\nconditions:\n  - {name: a, inputz: [text]}\n")
    root = EXAMPLE.parent.parent
    done = subprocess.run(
        [sys.executable, str(root / "app.py"), "--study", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "conditions[0]: unknown key 'inputz'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("damage", ["data folder is a file", "log is not a database"])
def test_app_refuses_an_unusable_study_log_before_loading_any_model(tmp_path, damage):
    import os
    import subprocess
    import sys
    import time

    data = tmp_path / "data"
    if damage == "data folder is a file":
        data.write_text("a file where the data folder should be")
        expected = "cannot be written (File exists); set MMREC_DATA_DIR"
    else:
        data.mkdir()
        (data / "study.sqlite").write_bytes(b"\x13not a database" * 400)
        expected = "file is not a database; it was left as it is"
    before = data.read_bytes() if data.is_file() else (data / "study.sqlite").read_bytes()
    env = {**os.environ, "MMREC_DATA_DIR": str(data), "MMREC_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("MMREC_STUDY_DB", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(EXAMPLE.parent.parent / "app.py"), "--study", str(EXAMPLE)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "cache" / "embeddings").exists()  # refused before the catalog was embedded
    assert time.perf_counter() - started < 60
    after = data.read_bytes() if data.is_file() else (data / "study.sqlite").read_bytes()
    assert after == before
