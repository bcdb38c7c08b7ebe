"""Block Kit JSON as plain HTML styled like Slack's modal and message, for the previews in
docs/slack.md (infra/slack_preview.py). Not Slack's renderer: readable pictures of adloop's own
views, so the doc shows what the builders really produce.

Each view is first checked with slack_sdk's Block Kit models (``View.validate_json``, the
limits Slack enforces: a 24-character title, a label's length, an option's …), and a block or
element type this renderer does not know is an error, never silently left out: a broken view
fails here instead of looking fine in the doc.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

# Slack's shortcodes used by adloop's messages; any other stays as typed (:name:).
EMOJI = {"warning": "⚠️", "white_check_mark": "✅", "trophy": "🏆", "memo": "📝"}
_TOKEN = re.compile(r"<([^<>]*)>")
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


class UnknownBlock(ValueError):
    """A block or element type the preview cannot draw: add it here rather than drop it."""


def modal_html(view: dict[str, Any]) -> str:
    """A modal view as one HTML page: title bar, its blocks, Cancel and the submit button."""
    body = Markup("").join(_block(b) for b in view["blocks"])
    View(**view).validate_json()
    submit = view.get("submit", {}).get("text", "")
    close = view.get("close", {}).get("text", "Cancel")
    return _page(
        Markup(
            '<div class="modal" data-callback="{cb}"><header><span class="app">a</span>'
            '<h1>{title}</h1><span class="x">×</span></header><main>{body}</main>'
            '<footer><span class="btn">{close}</span><span class="btn primary">{submit}</span>'
            "</footer></div>"
        ).format(
            cb=view.get("callback_id", ""),
            title=view["title"]["text"],
            body=body,
            close=close,
            submit=submit,
        )
    )


def message_html(blocks: list[dict[str, Any]], *, sender: str, ephemeral: bool) -> str:
    """A message's blocks as the channel shows them, from ``sender`` ("Only visible to you"
    above an ephemeral one)."""
    body = Markup("").join(_block(b) for b in blocks)  # an unknown type first, by name
    for parsed in Block.parse_all(blocks):
        parsed.validate_json()
    note = Markup('<p class="only">Only visible to you</p>') if ephemeral else Markup("")
    return _page(
        Markup(
            '<div class="message">{note}<div class="row"><span class="avatar">a</span>'
            '<div><p class="sender"><b>{sender}</b> <span class="tag">APP</span></p>{body}'
            "</div></div></div>"
        ).format(note=note, sender=sender, body=body)
    )


def mrkdwn(text: str) -> Markup:
    """Slack mrkdwn (already escaped for Slack) as HTML: links and mentions by their label,
    *bold*, _italic_, `code`, known emoji, line breaks."""
    parts, last = [], 0
    for m in _TOKEN.finditer(text):
        parts.append(_inline(text[last : m.start()]))
        target, _, label = m.group(1).partition("|")
        parts.append(Markup('<a href="#">{}</a>').format(_unescape(label or target)))
        last = m.end()
    parts.append(_inline(text[last:]))
    return Markup("").join(parts)


def _inline(text: str) -> Markup:
    html = str(escape(_unescape(text)))
    html = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", html)
    html = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", html)
    html = re.sub(r"(?<![\w])_([^_\n]+)_(?![\w])", r"<i>\1</i>", html)
    html = re.sub(r":([a-z0-9_+-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), html)
    return Markup(html.replace("\n", "<br>"))


def _unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt);", lambda m: _ENTITY[m.group(0)], text)


def _text(obj: dict[str, Any] | None) -> Markup:
    if not obj:
        return Markup("")
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj["text"]))
    return escape(str(obj["text"]))


def _block(block: dict[str, Any]) -> Markup:
    kind = block.get("type")
    if kind == "input":
        optional = Markup(' <span class="opt">(optional)</span>') if block.get("optional") else ""
        hint = Markup('<p class="hint">{}</p>').format(_text(block.get("hint")))
        return Markup(
            '<section class="input" data-block="{id}"><label>{label}{opt}</label>'
        ).format(id=block.get("block_id", ""), label=_text(block["label"]), opt=optional) + Markup(
            "{}{}</section>"
        ).format(_element(block["element"]), hint if "hint" in block else "")
    if kind == "section":
        return Markup('<section class="text">{}</section>').format(_text(block["text"]))
    if kind == "context":
        items = Markup(" ").join(_text(e) for e in block["elements"])
        return Markup('<section class="context">{}</section>').format(items)
    if kind == "actions":
        buttons = Markup("").join(_element(e) for e in block["elements"])
        return Markup('<section class="actions">{}</section>').format(buttons)
    if kind == "divider":
        return Markup("<hr>")
    if kind == "header":
        return Markup("<h2>{}</h2>").format(_text(block["text"]))
    raise UnknownBlock(f"the preview cannot draw a {kind!r} block")


def _element(el: dict[str, Any]) -> Markup:
    kind = el.get("type")
    if kind in ("plain_text_input", "url_text_input", "email_text_input", "number_input"):
        value = el.get("initial_value")
        shown = escape(value) if value else _text(el.get("placeholder"))
        cls = "field multi" if el.get("multiline") else "field"
        empty = "" if value else " empty"
        return Markup('<div class="{}{}" data-type="{}">{}</div>').format(cls, empty, kind, shown)
    if kind == "static_select":
        chosen = (el.get("initial_option") or {}).get("text")
        shown = _text(chosen) if chosen else _text(el.get("placeholder")) or "Select an item"
        return Markup(
            '<div class="field select" data-type="static_select">{}<span>▾</span></div>'
        ).format(shown)
    if kind == "checkboxes":
        on = {o["value"] for o in el.get("initial_options") or []}
        boxes = Markup("").join(
            Markup('<p class="check"><span class="box{}">{}</span>{}</p>').format(
                " on" if o["value"] in on else "", "✓" if o["value"] in on else "", _text(o["text"])
            )
            for o in el["options"]
        )
        return Markup('<div class="checks">{}</div>').format(boxes)
    if kind == "file_input":
        types = ", ".join(t.upper() for t in el.get("filetypes") or [])
        limit = el.get("max_files", 10)
        return Markup(
            '<div class="drop" data-type="file_input">Drag and drop files here or '
            "<b>click to upload</b><small>{} · up to {} files</small></div>"
        ).format(types or "any type", limit)
    if kind == "button":
        style = " " + str(el["style"]) if el.get("style") else ""
        return Markup('<span class="btn{}">{}</span>').format(style, _text(el["text"]))
    raise UnknownBlock(f"the preview cannot draw a {kind!r} element")


def _page(body: Markup) -> str:
    return str(Markup("<!doctype html><meta charset=utf-8><style>{}</style>{}").format(CSS, body))


# Slack's look, roughly: Lato where installed, its greens and greys, 520-pixel modals.
CSS = Markup("""
body { margin: 0; padding: 24px; background: #eceff1; font: 15px/1.45 Lato, "Helvetica Neue",
  Arial, sans-serif; color: #1d1c1d; }
.modal { width: 520px; background: #fff; border-radius: 8px; box-shadow: 0 4px 16px #0003; }
.modal header { display: flex; align-items: center; gap: 12px; padding: 18px 24px;
  border-bottom: 1px solid #ddd; }
.modal h1 { font-size: 20px; margin: 0; flex: 1; }
.app, .avatar { display: inline-grid; place-items: center; width: 28px; height: 28px;
  border-radius: 6px; background: #1f2933; color: #fff; font-weight: 900; }
.x { font-size: 24px; color: #616061; }
.modal main { padding: 8px 24px 4px; }
.modal footer { display: flex; justify-content: flex-end; gap: 10px; padding: 16px 24px;
  border-top: 1px solid #ddd; }
.input { margin: 14px 0 18px; }
label { display: block; font-weight: 700; margin-bottom: 6px; }
.opt { font-weight: 400; color: #616061; }
.field { border: 1px solid #868686; border-radius: 4px; padding: 9px 12px; min-height: 20px;
  white-space: pre-wrap; }
.field.multi { min-height: 62px; }
.field.select { display: flex; justify-content: space-between; }
.empty { color: #868686; }
.hint { margin: 6px 0 0; font-size: 13px; color: #616061; }
.checks .check { margin: 6px 0; display: flex; gap: 8px; align-items: center; }
.box { display: inline-grid; place-items: center; width: 16px; height: 16px; border-radius: 4px;
  border: 1px solid #868686; font-size: 12px; color: #fff; }
.box.on { background: #1264a3; border-color: #1264a3; }
.drop { border: 1px dashed #868686; border-radius: 4px; padding: 18px; text-align: center;
  color: #616061; }
.drop small { display: block; margin-top: 4px; }
.btn { display: inline-block; padding: 7px 14px; border: 1px solid #bbb; border-radius: 4px;
  font-weight: 700; background: #fff; }
.btn.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.message { width: 640px; background: #fff; padding: 12px 20px; border-radius: 8px; }
.only { margin: 0 0 6px; font-size: 13px; color: #616061; }
.row { display: flex; gap: 10px; align-items: flex-start; }
.avatar { width: 36px; height: 36px; flex: none; }
.sender { margin: 0; }
.tag { font-size: 10px; background: #ddd; padding: 1px 3px; border-radius: 2px; }
.text { margin: 4px 0; }
.context { margin: 6px 0; font-size: 13px; color: #616061; }
.actions { display: flex; gap: 8px; margin: 10px 0 4px; }
code { background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px;
  color: #e01e5a; font-size: 13px; }
a { color: #1264a3; text-decoration: none; }
""")
