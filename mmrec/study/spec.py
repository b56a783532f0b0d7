"""The study file: YAML or JSON, validated into frozen dataclasses with errors naming the bad key.

A condition's recommender is a :class:`~mmrec.recommender_config.RecommenderConfig`: a config JSON or
``overrides`` of the default, named after the condition, accepting only the condition's inputs and
building explanations only when the condition shows them (checked when the file is read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, StudyError
from ..recommender_config import RecommenderConfig, config_from_dict

INPUTS = ("text", "voice", "photo", "list-feedback")
INPUT_EVENTS = {"text": ("review",), "voice": ("voice",), "photo": ("photo",), "list-feedback": ("like", "dislike")}
"""The session event types each study input lets through (``reset``, starting over, is always allowed)."""
QUESTION_TYPES = ("choice", "number", "text")
ASSIGNMENTS = ("balanced", "url")
DEFAULT_SCALE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
DEFAULT_CONSENT = (
    "You are invited to take part in a study of a recommender system. You will describe what you like with "
    "text, voice or photos, see lists of products, and answer a short questionnaire; it takes about 10 minutes. "
    "We record your interactions and answers under a random code, never your name. Taking part is voluntary: "
    "you may stop at any time, and ask for your data to be deleted with your participant code. "
    "By continuing you confirm you are 18 or older and agree to take part."
)


@dataclass(frozen=True)
class Question:
    """A background question asked after consent."""

    id: str
    text: str
    type: str
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Task:
    text: str
    min_interactions: int = 0
    min_seconds: float = 0.0


@dataclass(frozen=True)
class Condition:
    """One arm of the study: which recommender, which inputs, whether explanations show."""

    name: str
    config: dict[str, Any]
    inputs: tuple[str, ...] = INPUTS
    explanations: bool = True

    def recommender(self) -> RecommenderConfig:
        """The config this condition ranks under; a :class:`StudyError` if ``config`` is not a valid one."""
        data = dict(self.config)
        overrides = data.pop("overrides", None) or {}
        events = [e for x in self.inputs for e in INPUT_EVENTS[x]] + ["reset"]
        try:
            return config_from_dict(data).with_overrides(
                **overrides, name=self.name, inputs=events, explanations=self.explanations
            )
        except ConfigError as e:
            raise StudyError(f"condition {self.name!r}: {e}") from e


@dataclass(frozen=True)
class Assignment:
    method: str = "balanced"
    param: str = "condition"
    within_subject: bool = False
    seed: int = 0


@dataclass(frozen=True)
class LikertItem:
    id: str
    construct: str
    text: str
    points: int = 5
    reverse: bool = False


@dataclass(frozen=True)
class AttentionCheck:
    """An item whose only right answer is ``expect`` (a label of the scale)."""

    id: str
    text: str
    expect: str

    def passed(self, answer: str) -> bool:
        return answer == self.expect


@dataclass(frozen=True)
class Completion:
    code: str | None = None
    redirect: str | None = None

    def url(self) -> str | None:
        return self.redirect.replace("{code}", self.code or "") if self.redirect else None


@dataclass(frozen=True)
class Study:
    title: str
    conditions: tuple[Condition, ...]
    task: Task
    consent: str = DEFAULT_CONSENT
    background: tuple[Question, ...] = ()
    assignment: Assignment = Assignment()
    questionnaire: tuple[LikertItem, ...] = field(default_factory=lambda: default_questionnaire())
    scale: tuple[str, ...] = DEFAULT_SCALE
    attention_checks: tuple[AttentionCheck, ...] = ()
    completion: Completion = Completion()
    keep_media: bool = False
    platform_param: str | None = None

    def condition(self, name: str) -> Condition:
        """The condition called ``name``; a :class:`StudyError` lists the valid names."""
        for c in self.conditions:
            if c.name == name:
                return c
        raise StudyError(f"unknown condition {name!r}; valid: {', '.join(c.name for c in self.conditions)}")

    def item(self, item_id: str) -> LikertItem:
        for it in self.questionnaire:
            if it.id == item_id:
                return it
        raise StudyError(
            f"unknown questionnaire item {item_id!r}; valid: {', '.join(i.id for i in self.questionnaire)}"
        )

    def scale_value(self, label: str, points: int) -> int:
        """1-based position of ``label`` on the scale (a number in 1..points is taken as it is)."""
        if label in self.scale:
            return self.scale.index(label) + 1
        try:
            value = int(label)
        except ValueError:
            raise StudyError(f"answer {label!r} is not on the scale; valid: {', '.join(self.scale)}") from None
        if not 1 <= value <= points:
            raise StudyError(f"answer {value} is outside the scale 1..{points}")
        return value

    def attention_passed(self, answers: dict[str, str]) -> bool:
        """True when every attention check was answered as its rule says."""
        return all(check.passed(answers.get(check.id, "")) for check in self.attention_checks)


def load_study(path: str | Path) -> Study:
    """Read and validate a study file (``.yaml``/``.yml`` or ``.json``)."""
    return parse_study(read_spec(path), base=Path(path).parent)


def read_spec(path: str | Path) -> Any:
    """The study file's content as parsed YAML or JSON, not yet validated."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as e:
        raise StudyError(f"cannot read study file {path}: {e}") from e


def default_questionnaire() -> tuple[LikertItem, ...]:
    """The ResQue short-form items shipped in ``mmrec/study/resque.yaml``."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("resque.yaml").read_text(encoding="utf-8"))
    return tuple(_likert(x, f"questionnaire[{i}]") for i, x in enumerate(raw))


def parse_study(raw: Any, *, base: Path = Path(".")) -> Study:
    """Validate a study mapping; relative condition config paths resolve against ``base``."""
    d = _mapping(
        raw,
        "study",
        required=("title", "task", "conditions"),
        optional=(
            "consent", "background", "assignment", "questionnaire", "scale", "attention_checks",
            "completion", "keep_media", "platform_param",
        ),
    )  # fmt: skip
    conditions = tuple(
        _condition(c, f"conditions[{i}]", base) for i, c in enumerate(_list(d["conditions"], "conditions"))
    )
    if not conditions:
        raise StudyError("conditions: a study needs at least one condition")
    names = [c.name for c in conditions]
    if len(set(names)) != len(names):
        raise StudyError(f"conditions: names must be unique, got {names}")
    scale = tuple(str(s) for s in _list(d.get("scale", list(DEFAULT_SCALE)), "scale"))
    study = Study(
        title=_str(d["title"], "title"),
        conditions=conditions,
        task=_task(d["task"]),
        consent=_str(d.get("consent", DEFAULT_CONSENT), "consent"),
        background=tuple(
            _question(q, f"background[{i}]") for i, q in enumerate(_list(d.get("background", []), "background"))
        ),
        assignment=_assignment(d.get("assignment", {})),
        questionnaire=(
            tuple(_likert(x, f"questionnaire[{i}]") for i, x in enumerate(_list(d["questionnaire"], "questionnaire")))
            if "questionnaire" in d
            else default_questionnaire()
        ),
        scale=scale,
        attention_checks=tuple(
            _check(x, f"attention_checks[{i}]", scale)
            for i, x in enumerate(_list(d.get("attention_checks", []), "attention_checks"))
        ),
        completion=_completion(d.get("completion", {})),
        keep_media=_bool(d.get("keep_media", False), "keep_media"),
        platform_param=_str(d["platform_param"], "platform_param") if d.get("platform_param") else None,
    )
    ids = [i.id for i in study.questionnaire] + [c.id for c in study.attention_checks]
    if len(set(ids)) != len(ids):
        raise StudyError(f"questionnaire and attention_checks: item ids must be unique, got {ids}")
    return study


def _condition(raw: Any, where: str, base: Path) -> Condition:
    d = _mapping(raw, where, required=("name",), optional=("config", "overrides", "inputs", "explanations"))
    if "config" in d and "overrides" in d:
        raise StudyError(f"{where}: give either 'config' (a config JSON path) or 'overrides', not both")
    if "config" in d:
        path = base / _str(d["config"], f"{where}.config")
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise StudyError(f"{where}.config: cannot read recommender config {path}: {e}") from e
        if not isinstance(config, dict):
            raise StudyError(f"{where}.config: {path} must hold a JSON object")
    else:
        config = {"overrides": dict(_mapping(d.get("overrides", {}), f"{where}.overrides", optional=None))}
    inputs = tuple(str(x) for x in _list(d.get("inputs", list(INPUTS)), f"{where}.inputs"))
    for x in inputs:
        if x not in INPUTS:
            raise StudyError(f"{where}.inputs: unknown input {x!r}; valid: {', '.join(INPUTS)}")
    if not inputs:
        raise StudyError(f"{where}.inputs: a condition needs at least one input; valid: {', '.join(INPUTS)}")
    condition = Condition(
        name=_str(d["name"], f"{where}.name"),
        config=config,
        inputs=inputs,
        explanations=_bool(d.get("explanations", True), f"{where}.explanations"),
    )
    try:
        condition.recommender()
    except StudyError as e:
        raise StudyError(f"{where}: {e}") from e
    return condition


def _task(raw: Any) -> Task:
    if isinstance(raw, str):
        return Task(raw)
    d = _mapping(raw, "task", required=("text",), optional=("min_interactions", "min_seconds"))
    return Task(
        _str(d["text"], "task.text"),
        min_interactions=int(_number(d.get("min_interactions", 0), "task.min_interactions")),
        min_seconds=float(_number(d.get("min_seconds", 0), "task.min_seconds")),
    )


def _question(raw: Any, where: str) -> Question:
    d = _mapping(raw, where, required=("id", "text", "type"), optional=("choices", "required"))
    kind = _str(d["type"], f"{where}.type")
    if kind not in QUESTION_TYPES:
        raise StudyError(f"{where}.type: unknown question type {kind!r}; valid: {', '.join(QUESTION_TYPES)}")
    choices = tuple(str(c) for c in _list(d.get("choices", []), f"{where}.choices"))
    if kind == "choice" and len(choices) < 2:
        raise StudyError(f"{where}.choices: a choice question needs at least two choices")
    return Question(
        _str(d["id"], f"{where}.id"),
        _str(d["text"], f"{where}.text"),
        kind,
        choices,
        _bool(d.get("required", False), f"{where}.required"),
    )


def _assignment(raw: Any) -> Assignment:
    d = _mapping(raw, "assignment", optional=("method", "param", "within_subject", "seed"))
    method = _str(d.get("method", "balanced"), "assignment.method")
    if method not in ASSIGNMENTS:
        raise StudyError(f"assignment.method: unknown method {method!r}; valid: {', '.join(ASSIGNMENTS)}")
    return Assignment(
        method=method,
        param=_str(d.get("param", "condition"), "assignment.param"),
        within_subject=_bool(d.get("within_subject", False), "assignment.within_subject"),
        seed=int(_number(d.get("seed", 0), "assignment.seed")),
    )


def _likert(raw: Any, where: str) -> LikertItem:
    d = _mapping(raw, where, required=("id", "construct", "text"), optional=("points", "reverse"))
    points = int(_number(d.get("points", 5), f"{where}.points"))
    if points < 2:
        raise StudyError(f"{where}.points: a Likert scale needs at least 2 points, got {points}")
    return LikertItem(
        _str(d["id"], f"{where}.id"),
        _str(d["construct"], f"{where}.construct"),
        _str(d["text"], f"{where}.text"),
        points,
        _bool(d.get("reverse", False), f"{where}.reverse"),
    )


def _check(raw: Any, where: str, scale: tuple[str, ...]) -> AttentionCheck:
    d = _mapping(raw, where, required=("id", "text", "expect"))
    expect = _str(d["expect"], f"{where}.expect")
    if expect not in scale:
        raise StudyError(f"{where}.expect: {expect!r} is not a scale label; valid: {', '.join(scale)}")
    return AttentionCheck(_str(d["id"], f"{where}.id"), _str(d["text"], f"{where}.text"), expect)


def _completion(raw: Any) -> Completion:
    d = _mapping(raw, "completion", optional=("code", "redirect"))
    redirect = _str(d["redirect"], "completion.redirect") if d.get("redirect") else None
    if redirect and not redirect.startswith(("https://", "http://")):
        raise StudyError(f"completion.redirect: expected an http(s) URL, got {redirect!r}")
    return Completion(code=str(d["code"]) if d.get("code") is not None else None, redirect=redirect)


def _mapping(
    raw: Any, where: str, *, required: tuple[str, ...] = (), optional: tuple[str, ...] | None = ()
) -> dict[str, Any]:
    """``raw`` as a dict with the required keys and no key outside required + optional (None: any key)."""
    if not isinstance(raw, dict):
        raise StudyError(f"{where}: expected a mapping, got {type(raw).__name__}")
    if optional is not None:
        valid = (*required, *optional)
        for key in raw:
            if key not in valid:
                raise StudyError(f"{where}: unknown key {key!r}; valid keys: {', '.join(valid)}")
    for key in required:
        if key not in raw:
            raise StudyError(f"{where}: missing required key {key!r}")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise StudyError(f"{where}: expected a list, got {type(raw).__name__}")
    return raw


def _str(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise StudyError(f"{where}: expected a non-empty string, got {raw!r}")
    return raw


def _bool(raw: Any, where: str) -> bool:
    if not isinstance(raw, bool):
        raise StudyError(f"{where}: expected true or false, got {raw!r}")
    return raw


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise StudyError(f"{where}: expected a number >= 0, got {raw!r}")
    return raw
