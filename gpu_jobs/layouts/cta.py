"""The end card's call to action, fitted whole: smaller, then on two lines, never cut.

A CTA shortened with an ellipsis ("Get 20% off your first…", an outside attack) is another
call to action, and OCR cannot read it back; one that does not fit at the legible size is
refused with how long a CTA the aspect holds."""

from __future__ import annotations

from gpu_jobs.layouts import draw
from shared.errors import BadInput

CTA_LINES = 2
PAD_X = 0.9  # the button's padding each side, as a share of the size (draw.button)


def fits(text: str, font: str, size: int, width: int) -> list[str] | None:
    """``text``'s lines inside a button at most ``width`` wide at ``size``, or None."""
    room = width - 2 * round(size * PAD_X)
    lines = draw.wrap(text, font, size, room)
    if len(lines) <= CTA_LINES and all(draw.line_width(x, font, size) <= room for x in lines):
        return lines
    return None


def fit_cta(
    text: str, font: str, width: int, top: int, least: int, aspect: str
) -> tuple[int, list[str]]:
    """The largest size from ``top`` down to ``least`` at which ``text`` fits a button at most
    ``width`` wide on one line, else on two; BadInput when it fits neither at ``least``."""
    for lines_allowed in (1, CTA_LINES):
        size = top
        while True:
            lines = fits(text, font, size, width)
            if lines is not None and len(lines) <= lines_allowed:
                return size, lines
            if size <= least:
                break
            size = max(least, int(size * 0.92))
    holds = max((n for n in range(1, len(text)) if fits(text[:n], font, least, width)), default=0)
    raise BadInput(
        f"design.facts.cta: {text!r} ({len(text)} characters) does not fit the {aspect} end "
        f"card's button on {CTA_LINES} lines at the smallest legible size ({least} px); "
        f"that aspect holds a CTA of about {holds} characters like these: shorten it"
    )
