"""docs/slack.md and infra/slack-manifest.yaml say the same: the doc's scope table lists exactly
the manifest's bot scopes, and /adloop's usage hint shows the forms the bot answers.

The manifest's shape and limits: slackapi/manifest-schema schemas/manifest.schema.1.0.0.json
(commit 19557f58d932d71155ce85c581dc7c72637abe1c): ``oauth_config.scopes.bot`` a list of
strings; a slash command's ``usage_hint`` 1 to 1,000 characters."""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.brief_text import EXAMPLE, fields_from_text
from tests.conftest import REPO

MANIFEST = REPO / "infra" / "slack-manifest.yaml"
DOC = REPO / "docs" / "slack.md"
USAGE_HINT_MAX = 1_000


def _manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return loaded


def doc_scopes(markdown: str) -> dict[str, str]:
    """The scopes in the doc's ``| scope | why |`` table, each with its reason."""
    lines = markdown.splitlines()
    head = next(
        i for i, line in enumerate(lines) if re.match(r"\s*\|\s*scope\s*\|\s*why\s*\|", line)
    )
    scopes: dict[str, str] = {}
    for line in lines[head + 2 :]:
        if not line.strip().startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for scope in re.findall(r"`([^`]+)`", cells[0]):
            scopes[scope] = cells[1]
    return scopes


def test_the_doc_lists_exactly_the_manifests_bot_scopes_each_with_why() -> None:
    manifest = set(_manifest()["oauth_config"]["scopes"]["bot"])
    documented = doc_scopes(DOC.read_text())
    assert "files:read" in manifest, "the form's product images are downloaded with files:read"
    assert set(documented) == manifest, (
        f"only in the manifest: {sorted(manifest - set(documented))}; "
        f"only in docs/slack.md: {sorted(set(documented) - manifest)}"
    )
    assert all(documented.values()), "every scope says why"


def test_the_scope_check_notices_a_scope_missing_from_the_doc() -> None:
    doc = DOC.read_text()
    without = "\n".join(line for line in doc.splitlines() if "`files:read`" not in line)
    assert "files:read" not in doc_scopes(without)
    assert "files:read" in doc_scopes(doc)


def test_the_usage_hint_shows_the_page_the_one_line_form_and_brands() -> None:
    (command,) = _manifest()["features"]["slash_commands"]
    assert command["command"] == "/adloop"
    hint = command["usage_hint"]
    assert 1 <= len(hint) <= USAGE_HINT_MAX
    for shown in ("new", "https://", "product:", "offer:", "brand", "status", "report", "retry"):
        assert shown in hint, shown


def test_the_doc_shows_every_preview_it_names_and_says_they_are_previews() -> None:
    doc = DOC.read_text()
    pictures = re.findall(r"\]\((images/slack-[^)]+\.png)\)", doc)
    assert len(pictures) == 4
    for picture in pictures:
        assert (DOC.parent / picture).is_file(), picture
    assert "not screenshots of Slack" in " ".join(doc.split())


def test_the_docs_one_line_example_is_the_help_s_and_reads_whole() -> None:
    assert EXAMPLE in DOC.read_text()
    fields = fields_from_text(EXAMPLE.removeprefix("/adloop new "))
    assert fields["offer"] == "20% off; free shipping"
    assert fields["landing_url"] == "https://glowdrop.example/serum?ref=ads&color=gold"
