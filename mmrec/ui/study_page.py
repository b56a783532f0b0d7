"""The participant's page of a study: consent, background questions, tasks, questionnaires, completion.

Each step is a column shown on its own; the task column holds the normal recommender (:class:`App`),
one per condition, built with only that condition's inputs (the others are never rendered). The
page calls :mod:`mmrec.study.participation` only; the recommender session logs its own turns. The
resume token lives encrypted in the browser (``gr.BrowserState``), so a reload continues the same
participant, and only that one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gradio as gr

from ..engine import Engine
from ..errors import StudyError
from ..study.participation import Participation, StudyRun
from ..study.spec import Question
from .page import STUDY, App, Visit, new_app, queue, queued
from .render import esc, render_message
from .server import WebLimits

STORAGE_KEY = "mmrec-study"
REDIRECT_JS = """() => {
  const link = document.querySelector('#mm-study-done a[data-redirect]');
  if (link) setTimeout(() => { window.location.href = link.href; }, 4000);
}"""


class StudyPage:
    """The widgets of the study page and the handlers taking a participant from step to step."""

    def __init__(self, apps: Mapping[str, App], run: StudyRun) -> None:
        self.apps = dict(apps)
        """Condition name -> the recommender widgets of that condition."""
        self.run = run
        self.study = run.study

    def build(self) -> gr.Blocks:
        sweep = next(iter(self.apps.values())).sweep
        with gr.Blocks(title=self.study.title, analytics_enabled=False, delete_cache=sweep) as demo:
            self.participation = gr.State(None)
            self.params = gr.State({})
            self.token = gr.BrowserState(None, storage_key=STORAGE_KEY, secret=self.run.browser_secret)
            gr.HTML(f'<header class="mm-header"><h1>{esc(self.study.title)}</h1></header>')
            self.screens: dict[str, gr.Column] = {}
            with self._screen_column("consent"):
                gr.HTML(_paragraphs(self.study.consent), elem_id="mm-study-consent-text")
                with gr.Row():
                    # Enabled by the page load, which reads the link's parameters (the platform id): a consent
                    # sent before it enrolled the participant without them, and the load then showed the
                    # consent again.
                    self.accept = gr.Button(
                        "I agree to take part", variant="primary", interactive=False, elem_id="mm-study-accept"
                    )
                    self.decline = gr.Button("I do not agree", elem_id="mm-study-decline")
                self.consent_msg = gr.HTML(elem_id="mm-study-consent-msg")
            with self._screen_column("background"):
                gr.HTML("<h2 class='mm-h2'>A few questions about you</h2>")
                self.answers = {q.id: _question_widget(q) for q in self.study.background}
                self.send_background = gr.Button("Continue", variant="primary", elem_id="mm-study-send-background")
                self.background_msg = gr.HTML(elem_id="mm-study-background-msg")
            with self._screen_column("task"):
                self.task_info = gr.HTML(elem_id="mm-study-task-info")
                self.arms: dict[str, gr.Column] = {}
                for n, (name, app) in enumerate(self.apps.items()):
                    with gr.Column(visible=False, elem_id=f"mm-study-arm-{n}") as self.arms[name]:
                        app.state = gr.State(None)
                        app.recommender()
                self.progress = gr.HTML(elem_id="mm-study-progress")
                self.finish = gr.Button("Finish task", variant="primary", elem_id="mm-study-finish")
                self.finish_msg = gr.HTML(elem_id="mm-study-finish-msg")
            with self._screen_column("questionnaire"):
                self.questionnaire_info = gr.HTML(elem_id="mm-study-questionnaire-info")
                items = Participation.questionnaire_of(self.study)
                self.ratings = {
                    it.id: gr.Radio(list(self.study.scale), label=it.text, elem_id=f"mm-q-{it.id}") for it in items
                }
                self.send_ratings = gr.Button("Submit answers", variant="primary", elem_id="mm-study-send-ratings")
                self.ratings_msg = gr.HTML(elem_id="mm-study-ratings-msg")
            with self._screen_column("done"):
                self.done_html = gr.HTML(elem_id="mm-study-done-text")
            with self._screen_column("closed"):
                self.closed_html = gr.HTML(elem_id="mm-study-closed-text")
            with gr.Accordion("Withdraw from the study", open=False, elem_id="mm-study-withdraw"):
                gr.HTML("<p>Enter your participant code to delete everything recorded about you.</p>")
                self.withdraw_code = gr.Textbox(
                    label="Participant code", max_length=64, elem_id="mm-study-withdraw-code"
                )
                self.withdraw = gr.Button("Delete my data", variant="stop", elem_id="mm-study-withdraw-send")
                self.withdraw_msg = gr.HTML(elem_id="mm-study-withdraw-msg")
            self._wire(demo)
        return demo

    def _screen_column(self, name: str) -> gr.Column:
        column = gr.Column(visible=name == "consent", elem_id=f"mm-study-{name}")
        self.screens[name] = column
        return column

    def _wire(self, demo: gr.Blocks) -> None:
        self.outputs = [
            *self.screens.values(),
            self.participation,
            self.params,
            self.token,
            self.task_info,
            self.progress,
            self.finish_msg,
            self.consent_msg,
            self.background_msg,
            self.questionnaire_info,
            *self.ratings.values(),
            self.ratings_msg,
            self.done_html,
            self.closed_html,
            self.withdraw_code,
            self.withdraw_msg,
            *self.arms.values(),
            *(box for app in self.apps.values() for box in app.outputs),
        ]
        step = {"outputs": self.outputs, "show_progress": "minimal", **queue(STUDY)}
        demo.load(self.on_load, [self.token], **{**step, "outputs": [*self.outputs, self.accept]})
        self.accept.click(self.on_accept, [self.params], **step)
        self.decline.click(self.on_decline, None, **step)
        self.send_background.click(self.on_background, [self.participation, *self.answers.values()], **step)
        self.finish.click(self.on_finish, [self.participation], **step)
        self.send_ratings.click(self.on_ratings, [self.participation, *self.ratings.values()], **step).then(
            None, js=REDIRECT_JS
        )
        self.withdraw.click(self.on_withdraw, [self.participation, self.withdraw_code], **step)
        for action in (a for app in self.apps.values() for a in app.actions):
            action.then(
                self.on_progress,
                [self.participation],
                [self.progress, self.finish_msg],
                queue=False,
                show_progress="hidden",
            )

    # --- handlers ---

    def on_load(self, token: str | None, request: gr.Request) -> dict:
        params = dict(request.query_params) if request is not None else {}
        loaded = {self.params: params, self.accept: gr.update(interactive=True)}
        if token:
            try:
                p = self.run.resume(token)
            except StudyError:
                p = None
            if p is not None:
                p.log_page("reload", {})
                return {**self.show(p), **loaded}
        return {**self.show(None), **loaded, self.token: None}

    def on_accept(self, params: Mapping[str, str]) -> dict:
        try:
            p = self.run.enroll(params or {})
        except StudyError as e:
            return {self.consent_msg: render_message(str(e))}
        p.log_page("page_load", {"params": sorted(k for k in (params or {}) if k != self.study.platform_param)})
        return {**self.show(p), self.token: p.token}

    def on_decline(self) -> dict:
        note = "<p>You chose not to take part. Nothing about you was recorded; you may close this page.</p>"
        return {**self.show(None, closed=note), self.token: None}

    def on_background(self, p: Participation | None, *values: Any) -> dict:
        return self._step(p, lambda: p.answer_background(dict(zip(self.answers, values))), self.background_msg)

    def on_finish(self, p: Participation | None) -> dict:
        return self._step(p, lambda: p.finish_task(), self.finish_msg)

    def on_ratings(self, p: Participation | None, *values: str | None) -> dict:
        return self._step(p, lambda: p.answer_questionnaire(dict(zip(self.ratings, values))), self.ratings_msg)

    def on_progress(self, p: Participation | None) -> tuple[str, str]:
        """The task's progress after an action (and no stale refusal to finish)."""
        return (_progress(p) if p is not None and p.step == "task" else "", "")

    def on_withdraw(self, p: Participation | None, code: str) -> dict:
        code = (code or "").strip()
        if not self.run.withdraw(code):
            return {
                self.withdraw_msg: render_message("No participant has that code (or their data is already deleted).")
            }
        out = {
            self.withdraw_code: "",
            self.withdraw_msg: "<p class='mm-ok'>All data recorded under that code is deleted.</p>",
        }
        if p is not None and p.id == code:
            note = "<p>You have withdrawn from the study and everything recorded about you is deleted.</p>"
            out.update({**self.show(None, closed=note), self.token: None})
        return out

    # --- screens ---

    def _step(self, p: Participation | None, action: Any, message: gr.HTML) -> dict:
        """Run one study step; its refusal goes to ``message``, its success to the next screen."""
        if p is None:
            return {message: render_message("This page lost its place in the study: reload it to continue.")}
        try:
            with p.lock:
                action()
        except StudyError as e:
            return {message: render_message(str(e))}
        return self.show(p)

    def show(self, p: Participation | None, *, closed: str = "") -> dict:
        """The screen of ``p``'s current step (the consent, or ``closed``'s note, without a participant)."""
        name = "closed" if closed else "consent" if p is None else p.step
        out: dict = {column: gr.update(visible=key == name) for key, column in self.screens.items()}
        out.update({self.participation: p, self.closed_html: closed})
        if p is None:
            out.update({app.state: None for app in self.apps.values()})
        elif name == "task":
            arm = p.condition.name
            out.update({column: gr.update(visible=key == arm) for key, column in self.arms.items()})
            with p.lock:
                out.update(self.apps[arm].show_visit(Visit(p.start_task(), lock=p.lock)))
            out.update({self.task_info: self._task_info(p), self.progress: _progress(p), self.finish_msg: ""})
        elif name == "questionnaire":
            out.update({radio: None for radio in self.ratings.values()})
            out.update({self.questionnaire_info: self._questionnaire_info(p), self.ratings_msg: ""})
        elif name == "done":
            out[self.done_html] = self._done(p)
        return out

    def _part(self, p: Participation) -> str:
        n = len(p.conditions)
        return f"Part {p.index + 1} of {n}: " if n > 1 else ""

    def _task_info(self, p: Participation) -> str:
        task = self.study.task
        needs = []
        if task.min_interactions:
            needs.append(f"at least {task.min_interactions} interactions with the recommender")
        if task.min_seconds:
            needs.append(f"at least {task.min_seconds:g} seconds")
        minimum = f"<p>Before you can finish, please spend {' and '.join(needs)}.</p>" if needs else ""
        return (
            f'<div class="mm-task"><h2 class="mm-h2">{esc(self._part(p))}Your task</h2>'
            f"{_paragraphs(task.text)}{minimum}{_code_note(p)}</div>"
        )

    def _questionnaire_info(self, p: Participation) -> str:
        return (
            f'<h2 class="mm-h2">{esc(self._part(p))}About the recommender you just used</h2>'
            "<p>How much do you agree with each statement?</p>"
        )

    def _done(self, p: Participation) -> str:
        code = self.study.completion.code
        parts = ["<h2 class='mm-h2'>Thank you, you have finished the study.</h2>"]
        if code:
            parts.append(f'<p>Your completion code: <b class="mm-completion-code">{esc(code)}</b></p>')
        if p.completion_url:
            parts.append(
                f'<p><a data-redirect href="{esc(p.completion_url)}">Return to the study platform</a> '
                "(you will be taken there in a few seconds).</p>"
            )
        parts.append(_code_note(p))
        return "".join(parts)


def build_study_app(
    engine: Engine, run: StudyRun, *, inline_images: bool = False, limits: WebLimits = WebLimits()
) -> tuple[gr.Blocks, App]:
    """The study's page for ``run``, queued like the recommender page, and the :class:`App` of its first condition."""
    apps = {
        # keep_in_place=False: a participant sees each list exactly as ranked, the order its log records.
        name: new_app(
            engine,
            open_visits=False,
            inline_images=inline_images,
            limits=limits,
            inputs=config.inputs,
            keep_in_place=False,
        )
        for name, config in run.configs.items()
    }
    return queued(StudyPage(apps, run).build()), next(iter(apps.values()))


def _question_widget(q: Question) -> gr.components.Component:
    label = q.text + ("" if q.required else " (optional)")
    if q.type == "choice":
        return gr.Radio(list(q.choices), label=label, elem_id=f"mm-bg-{q.id}")
    if q.type == "number":
        return gr.Number(label=label, elem_id=f"mm-bg-{q.id}")
    return gr.Textbox(label=label, max_length=2000, elem_id=f"mm-bg-{q.id}")


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(block.strip())}</p>" for block in text.split("\n\n") if block.strip())


def _progress(p: Participation) -> str:
    """How far the task is against its minimums (nothing when it has none)."""
    now = p.progress()
    parts = []
    if now.min_interactions:
        parts.append(f"{min(now.interactions, now.min_interactions)} of {now.min_interactions} interactions")
    if now.min_seconds:
        parts.append(f"{min(int(now.seconds), int(now.min_seconds))} of {now.min_seconds:g} seconds")
    if not parts:
        return ""
    state = "you can finish the task when you are ready" if now.ready else "keep going"
    return (
        f'<p class="mm-study-progress" data-ready="{str(now.ready).lower()}">Progress: {", ".join(parts)}: {state}.</p>'
    )


def _code_note(p: Participation) -> str:
    return (
        f'<p class="mm-study-code">Your participant code is <code id="mm-study-code">{esc(p.id)}</code>: '
        "keep it if you may want your data deleted later (see “Withdraw from the study” below).</p>"
    )
