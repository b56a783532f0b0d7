"""The profile row above the list: each chip (filter, term, interaction) a button that removes it, and Undo.

Plain HTML (no gradio); every label passes through :func:`~mmrec.ui.render.esc`. A button carries
``data-action="remove"`` and ``data-chip`` (the chip id of :mod:`mmrec.chips`), or ``data-action="undo"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .render import esc

CHIP_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-action]');
  if (b && element.contains(b) && !b.disabled) trigger('click', {action: b.dataset.action, chip: b.dataset.chip});
});
"""
"""Sends a chip button's action and chip id to the server (a gr.HTML ``js_on_load``)."""


def render_chips(chips: Sequence[dict[str, Any]], *, undoable: bool) -> str:
    """The chips as removable buttons ("Remove Not Black"), then an Undo button (disabled with nothing to undo)."""
    buttons = "".join(
        f'<li><button type="button" class="mm-pchip mm-pchip-{esc(c["kind"])}" data-action="remove" '
        f'data-chip="{esc(c["id"])}" aria-label="Remove {esc(c["label"])}">{esc(c["label"])} '
        f'<span aria-hidden="true">×</span></button></li>'
        for c in chips
    )
    listed = (
        f'<ul class="mm-pchips" aria-label="Your filters, wishes and feedback">{buttons}</ul>'
        if chips
        else '<p class="mm-muted mm-pchips-empty">No filters or feedback yet: each one you give appears here, '
        "and you can remove it.</p>"
    )
    disabled = "" if undoable else " disabled"
    undo = f'<button type="button" class="mm-undo" data-action="undo"{disabled}>↶ Undo</button>'
    return f'<div class="mm-profile" role="group" aria-label="Your profile">{listed}{undo}</div>'
