"""The Bolt app: ``/adloop``, the new-campaign form, reactions, thread replies and Export.

HTTP mode with ``process_before_response=True`` (a Cloud Function stops when it has answered, so
nothing may run after the answer): every listener only validates, writes a task to the queue and
acknowledges, well inside Slack's 3 seconds. Bolt verifies each request's signature and its
5-minute timestamp window with the signing secret and answers 401 to anything else.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import brand_form, commands, events, export_action, modal, new_form, page
from bot.brief_text import USAGE
from shared.adapters.slack_draft_layout import EDIT_ACTION, START_ACTION
from shared.adapters.slack_web import SlackChat
from shared.chat_text import escape
from shared.errors import AdloopError, TransientError
from shared.log import get_logger
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

log = get_logger("bot")
# `/adloop`, or a suffixed copy such as `/adloop-dev` for a second install.
COMMAND = re.compile(r"^/adloop(-[a-z0-9]+)?$")


def build_app(services: Services, settings: Settings) -> App:
    """The Bolt app on ``services``; needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN. It answers
    through the Web API client of ``services.chat`` (built by ``shared.bootstrap``): one Slack
    client per runtime."""
    chat = services.chat
    if settings.slack_signing_secret is None or not isinstance(chat, SlackChat):
        raise ValueError(
            "the Slack bot needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN; see docs/slack.md"
        )
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=chat.web_client,
        process_before_response=True,
        # The bot's identity (to ignore its own events) is looked up on the first request, not
        # here: building the app makes no network call.
        token_verification_enabled=False,
        logger=get_logger("bot.bolt"),
    )
    _listen(app, services, chat)
    return app


def _listen(app: App, services: Services, chat: SlackChat) -> None:
    def enqueue(task: Task | None) -> None:
        if task is not None:
            services.queue.enqueue(task)

    # `/adloop brand NAME` (its form) first: Bolt runs the first listener that matches.
    brand_form.register(app, services, COMMAND)

    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        sub, rest = commands.split(str(command.get("text") or ""))
        if sub == "new" and not rest:
            view = modal.new_campaign_view(
                str(command["channel_id"]),
                str(command["user_id"]),
                brand_block=brand_form.brand_select_block(services, str(command.get("team_id"))),
            )
            try:
                client.views_open(trigger_id=command["trigger_id"], view=view)
            except SlackApiError as e:
                ack(
                    text=f"I could not open the form ({escape(str(e.response.get('error')))}). "
                    f"Try {USAGE}",
                    response_type="ephemeral",
                )
                return
            ack()
            return
        asked = page.page_request(rest) if sub == "new" else None
        if asked is not None:
            # A product page: read in a queue step, which shows the marketer what it gave.
            ack(text=page.queue_page(services, command, *asked), response_type="ephemeral")
            return
        ack(text=commands.run(services, command), response_type="ephemeral")

    @app.view(modal.CALLBACK_ID)
    def on_first_step(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team = str((body.get("team") or {}).get("id") or view.get("team_id") or "")
        ack(**new_form.first_step(services, chat, view, team=team))

    @app.view(modal.MORE_CALLBACK_ID)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team = str((body.get("team") or {}).get("id") or view.get("team_id") or "")
        ack(**new_form.second_step(services, view, team=team))

    @app.event("reaction_added")
    def on_reaction_added(event: dict[str, Any], body: dict[str, Any]) -> None:
        enqueue(events.reaction_task(services, event, str(body.get("event_id")), added=True))

    @app.event("reaction_removed")
    def on_reaction_removed(event: dict[str, Any], body: dict[str, Any]) -> None:
        enqueue(events.reaction_task(services, event, str(body.get("event_id")), added=False))

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
        enqueue(events.reply_task(services, event, str(body.get("event_id"))))

    @app.action(export_action.ACTION)
    def on_export(ack: Ack, body: dict[str, Any]) -> None:
        # Who may export, and what, is the export step's to check: it can look up user groups
        # and say why privately; here there are 3 seconds.
        enqueue(export_action.export_task(body))
        ack()

    @app.action(START_ACTION)
    def on_page_start(ack: Ack, body: dict[str, Any]) -> None:
        # Starting is one transaction and an enqueue, as the form's submit does within its ack.
        ack()
        user, channel = page.clicked_by(body)
        if services.chat is not None and user and channel:
            services.chat.post_ephemeral(channel, user, page.start(services, body))

    @app.action(EDIT_ACTION)
    def on_page_edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, where = page.clicked_by(body)
        try:
            channel, prefill = page.edit_prefill(services, body)
        except AdloopError as e:
            if services.chat is not None and user and where:
                services.chat.post_ephemeral(where, user, f":warning: {escape(str(e))}")
            return
        team = str((body.get("team") or {}).get("id") or "")
        view = modal.new_campaign_view(
            channel,
            user,
            prefill=prefill,
            brand_block=brand_form.brand_select_block(services, team),
        )
        try:
            client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
        except SlackApiError as e:
            if services.chat is not None and user and where:
                reason = escape(str(e.response.get("error")))
                services.chat.post_ephemeral(where, user, f"I could not open the form ({reason}).")

    @app.error
    def on_error(error: Exception, body: Any) -> BoltResponse:
        kind = body.get("type") if isinstance(body, dict) else None
        if isinstance(error, TransientError):
            # Our side is briefly unwell (the queue, the store): let Slack retry.
            log.warning("Slack request will be retried", exc_info=error, extra={"type": kind})
            return BoltResponse(status=503, body="try again shortly")
        log.error("Slack request failed", exc_info=error, extra={"type": kind})
        return BoltResponse(status=400, body="adloop could not handle that Slack request")
