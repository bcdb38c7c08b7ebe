"""Prompts are versioned files in ``shared/prompts``; each creative stores the version it came
from. A file holds front matter (``version``), the system prompt, ``===``, and the user prompt
(a Jinja template rendered with StrictUndefined so a missing value is an error, not a blank)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
import yaml


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    template: jinja2.Template

    def render(self, **values: Any) -> str:
        as_text = {k: _as_text(v) for k, v in values.items()}
        return self.template.render(**as_text).strip()


@cache
def load(name: str) -> Prompt:
    raw = files("shared").joinpath("prompts", f"{name}.md").read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    meta = yaml.safe_load(front)
    system, user = body.split("\n===\n", 1)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    return Prompt(name, str(meta["version"]), system.strip(), env.from_string(user))


def _as_text(value: Any) -> Any:
    if isinstance(value, dict | list) and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return value
