"""``adloop campaign new --url URL``: a brief from a product page, shown before it starts.

The page is read on this machine through the runtime's ``Services.fetch`` (safe_fetch: public
https addresses only). What the page gave is printed field by field with where each came from,
and which reader took it (a model, or the offline extractor). A ``--brief`` file's fields win
over the page's. Fields still missing are asked for on a terminal; without one the command
stops and names them. On a terminal the marketer confirms the images and the start (``--yes``
skips both); without one it starts as printed, so a script's log holds what was taken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from shared.errors import BadInput
from shared.intake.draft import PageDraft, brief_from_draft, draft_from_page, summary_lines
from shared.models.brief import Brief
from shared.services import Services

Ask = Callable[[str], str]


@dataclass(frozen=True)
class Console:
    """Where the command talks to the marketer: ``ask`` is None without a terminal."""

    out: TextIO
    ask: Ask | None


def brief_from_url(
    services: Services,
    url: str,
    given: Mapping[str, Any],
    *,
    yes: bool,
    console: Console,
) -> Brief:
    """The brief to start, after showing what the page gave; BadInput when the marketer says
    no, or a field is missing and nobody can be asked."""
    draft = draft_from_page(services, url)
    for line in summary_lines(draft, given):
        print(line, file=console.out)
    filled = {**given, **_ask_missing(draft, given, console)}
    with_images = bool(draft.images) and (yes or _agree(console, "Use the product images found?"))
    brief = brief_from_draft(draft, filled, with_images=with_images)
    if not yes and not _agree(console, "Start the campaign with this brief?"):
        raise BadInput("not started: the marketer said no")
    return brief


def _ask_missing(draft: PageDraft, given: Mapping[str, Any], console: Console) -> dict[str, str]:
    missing = draft.missing(given)
    if not missing:
        return {}
    if console.ask is None:
        raise BadInput(
            f"{draft.url} does not give {', '.join(missing)}: put "
            + ("them" if len(missing) > 1 else "it")
            + " in a --brief file (YAML or JSON) beside --url"
        )
    answers = {}
    for name in missing:
        value = console.ask(f"{name}? ").strip()
        if value:
            answers[name] = value
    return answers


def _agree(console: Console, question: str) -> bool:
    if console.ask is None:
        return True  # no terminal: start as printed (the rule the module docstring states)
    return console.ask(f"{question} [Y/n] ").strip().lower() in ("", "y", "yes")
