"""export: a reviewer's Export click, answered with the platform's bulk-upload file in the
campaign's thread.

Only reviewers (``ADLOOP_SLACK_REVIEWERS``: users, or user groups) may export; anyone else is told
why, privately. :func:`shared.loop.export.export_command` writes the platform's sheet, and the
rendered videos it names, into a temporary folder. The sheet is uploaded as it is (Slack previews
a CSV); when videos came with it, a zip of the whole export follows (the sheet names the videos,
so they travel together). A short note says what was exported: how many creatives, their
tracking codes, and the exporter's remarks (a missing video, say). When nothing can be exported
(nothing approved, a platform limit broken, no landing URL) the clicker alone is told why and
nothing is uploaded. Nothing here fails the campaign: an export is one person's request.

Never twice: the runner's marker stops a redelivery of a finished task. For the window before
that commit, the upload is claimed in a ledger entry (``slack_posts/{key}``, taken in a
transaction) and each file is recorded there once sent: a redelivery skips what was sent, retries
later while another delivery holds a fresh claim, and takes over a claim left by a crash. Slack
gives a file no metadata to find it by (as ``find_posted`` finds messages), so a crash in the
instant between one file's upload and its record sends that file again; the note is a message and
goes through ``post_once`` like every other post.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from shared.chat_text import escape
from shared.errors import BadInput, PermanentError, TransientError
from shared.log import get_logger
from shared.loop.export import export_command, load_ads
from shared.models.creative import Tag
from shared.pipeline.runner import StepContext, StepResult
from shared.pipeline.steps.publish import ledger_path, post_once, reaction_tags
from shared.pipeline.steps.review import is_reviewer
from shared.platforms.registry import PLATFORMS, display_name
from shared.platforms.tracking import parse_code
from shared.ports.chat import Chat, Posted
from shared.ports.documents import Transaction
from shared.ports.queue import Task
from shared.services import Services

log = get_logger(__name__)
# How long a delivery's claim on the upload keeps a concurrent delivery of the same click away.
CLAIM_S = 120.0
MAX_REMARKS = 8


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    title: str


@dataclass(frozen=True)
class Made:
    """An export ready to post: its files and the note that goes with them."""

    uploads: list[Upload]
    note: str


def export(ctx: StepContext, task: Task) -> StepResult:
    """Payload: platform, user, channel, thread_ts (the message whose button was clicked)."""
    chat = ctx.services.chat
    if chat is None:
        return StepResult()
    p = task.payload
    channel, user = str(p.get("channel") or ""), str(p.get("user") or "")
    name = display_name(str(p.get("platform")))
    try:
        reviewers = ctx.services.settings.slack_reviewers
        if not is_reviewer(user, reviewers, chat):
            _tell(chat, channel, user, not_a_reviewer(reviewers))
            return StepResult()
        _export_once(ctx, chat, task)
    except BadInput as e:
        _tell(chat, channel, user, f"Nothing was exported for {name}: {escape(str(e))}")
    except PermanentError as e:  # Slack refused the file, say: the reviewer should know
        log.warning("export failed", extra={"task": task.name, "error": str(e)})
        _tell(chat, channel, user, f"The {name} export failed: {escape(str(e))}")
    return StepResult()


def _export_once(ctx: StepContext, chat: Chat, task: Task) -> None:
    services, p = ctx.services, task.payload
    key = f"{task.campaign_id}:export:{task.key}"
    path = ledger_path(key)
    thread = Posted(
        ctx.campaign.slack_channel or str(p["channel"]),
        ctx.campaign.slack_ts or str(p.get("thread_ts") or ""),
    )
    entry = _claim(services, path)
    if not entry.get("note"):
        try:
            made = make_export(services, task.campaign_id, str(p["platform"]), str(p["user"]))
            entry = _upload(services, chat, thread, path, entry, made)
        except BaseException:
            # Let the queue's retry (or the reviewer's next click) start at once, keeping what
            # was sent.
            services.documents.set(path, {**(services.documents.get(path) or entry), "at": 0.0})
            raise
    note_key = f"{key}:note"
    post_once(
        services,
        note_key,
        lambda: chat.post_note(thread, str(entry["note"]), key=note_key),
        lambda oldest: chat.find_posted(
            thread.channel, note_key, oldest=oldest, thread_ts=thread.ts or None
        ),
    )


def _claim(services: Services, path: str) -> dict[str, Any]:
    """This delivery's claim on the upload (the finished entry when it is done already)."""
    now = time.time()

    def txn(tx: Transaction) -> dict[str, Any] | None:
        entry = tx.get(path)
        if entry and not entry.get("note") and now - float(entry.get("at") or 0.0) < CLAIM_S:
            return None  # another delivery of this click is uploading right now
        if entry and entry.get("note"):
            return entry
        claim = {**(entry or {"sent": []}), "at": now}
        tx.set(path, claim)
        return claim

    claimed = services.documents.transact(txn)
    if claimed is None:
        raise TransientError("this export is being uploaded by another delivery", retry_after=5.0)
    return claimed


def _upload(
    services: Services,
    chat: Chat,
    thread: Posted,
    path: str,
    entry: dict[str, Any],
    made: Made,
) -> dict[str, Any]:
    sent = list(entry.get("sent") or [])
    for upload in made.uploads:
        if upload.filename in sent:
            continue
        chat.upload_file(thread, filename=upload.filename, data=upload.data, title=upload.title)
        sent.append(upload.filename)
        entry = {**entry, "sent": sent}
        services.documents.set(path, entry)
    entry = {**entry, "note": made.note}
    services.documents.set(path, entry)
    return entry


def make_export(services: Services, campaign_id: str, platform: str, user: str) -> Made:
    """The platform's export of the campaign's Approved and Winner creatives, ready to post.
    Raises BadInput with the reason when there is nothing a platform would take."""
    if platform not in PLATFORMS:
        raise BadInput(f"unknown platform {platform!r}")
    if not load_ads(services, campaign_id):
        raise BadInput(nothing_approved(services, campaign_id))
    with TemporaryDirectory(prefix="adloop-export-") as tmp:
        files = export_command(services, campaign_id, platform, Path(tmp))
        return package(campaign_id, platform, user, Path(tmp), files)


def package(campaign_id: str, platform: str, user: str, root: Path, files: list[Path]) -> Made:
    """What to upload from an export folder, and the note saying what it holds."""
    sheet = next(f for f in files if f.suffix == ".csv")
    data = sheet.read_bytes()
    name = PLATFORMS[platform].name
    uploads = [Upload(f"{campaign_id}-{sheet.name}", data, f"{name} bulk-upload sheet")]
    if any(f.parent.name in ("videos", "images") for f in files):
        uploads.append(
            Upload(
                f"{campaign_id}-{platform}-export.zip",
                zipped(root, files),
                f"{name} sheet with its videos",
            )
        )
    remarks = [
        line
        for f in files
        if f.suffix == ".txt"
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return Made(uploads, note_text(platform, user, data, [u.filename for u in uploads], remarks))


def zipped(root: Path, files: list[Path]) -> bytes:
    """``files`` as one zip, named relative to ``root``; videos are stored (already compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for f in files:
            kind = zipfile.ZIP_STORED if f.suffix == ".mp4" else zipfile.ZIP_DEFLATED
            z.write(f, f.relative_to(root).as_posix(), compress_type=kind)
    return out.getvalue()


def tracking_codes(sheet: bytes) -> list[str]:
    """The tracking codes in a sheet's rows, in order, each once (pure)."""
    codes: dict[str, None] = {}
    for row in csv.reader(io.StringIO(sheet.decode("utf-8"))):
        found = parse_code(" ".join(row))
        if found:
            codes[f"adl.{found[0]}.{found[1]}"] = None
    return list(codes)


def note_text(platform: str, user: str, sheet: bytes, files: list[str], remarks: list[str]) -> str:
    """The message posted with an export (pure)."""
    codes = tracking_codes(sheet)
    rows = max(0, len(sheet.decode("utf-8").strip().splitlines()) - 1)
    listed = ", ".join(f"`{c}`" for c in codes)
    lines = [
        f"*{PLATFORMS[platform].name} export* for <@{escape(user)}>: {len(codes)} creative"
        f"{'' if len(codes) == 1 else 's'} in {rows} row{'' if rows == 1 else 's'} — {listed}.",
        f"Import `{files[0]}` in {PLATFORMS[platform].import_into}"
        + (f"; `{files[1]}` holds it with its videos." if len(files) > 1 else "."),
    ]
    lines += [f"• {escape(r)}" for r in remarks[:MAX_REMARKS]]  # they may quote ad copy
    if len(remarks) > MAX_REMARKS:
        lines.append(f"• … and {len(remarks) - MAX_REMARKS} more")
    return "\n".join(lines)


def nothing_approved(services: Services, campaign_id: str) -> str:
    emoji = {t: n for n, t in reversed(reaction_tags(services).items())}
    how = " or ".join(f":{emoji[t]}: ({t.value})" for t in (Tag.APPROVED, Tag.WINNER) if t in emoji)
    return (
        f"no creative of campaign `{campaign_id}` is Approved or Winner yet; "
        f"a reviewer tags the ones to export with {how or 'a reviewer tag'} first."
    )


def not_a_reviewer(reviewers: list[str]) -> str:
    who = ", ".join(f"<!subteam^{r}>" if r.startswith("S") else f"<@{r}>" for r in reviewers)
    return (
        "Only reviewers can export ads; nothing was exported. "
        f"Reviewers: {who or 'nobody yet (ADLOOP_SLACK_REVIEWERS is empty)'}."
    )


def _tell(chat: Chat, channel: str, user: str, text: str) -> None:
    try:
        chat.post_ephemeral(channel, user, text)
    except PermanentError as e:  # the user left the channel, say: nobody to tell
        log.warning("export reply not shown", extra={"error": str(e)})
