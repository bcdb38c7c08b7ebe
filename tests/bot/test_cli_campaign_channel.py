"""A campaign started outside Slack (the CLI) is posted to ADLOOP_SLACK_CHANNEL, the channel that
also gets the digest (terraform's slack_channel), as a campaign started there would be."""

from __future__ import annotations

from pathlib import Path

from infra.briefs import load_brief
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.pipeline.campaigns import start_campaign
from tests.bot.conftest import CHANNEL, make_settings, wait_until
from tests.conftest import EXAMPLES
from tests.fakes.slack_api import FakeSlackAPI


def test_a_campaign_started_from_the_cli_is_posted_to_the_configured_channel(
    tmp_path: Path,
) -> None:
    with FakeSlackAPI() as slack:
        settings = make_settings(tmp_path / "home", slack).model_copy(
            update={"slack_channel": CHANNEL}
        )
        runtime = LocalRuntime(settings).start()
        try:
            loaded = load_brief(EXAMPLES / "glowdrop-serum.yaml")
            # as `adloop campaign new` does
            campaign = start_campaign(runtime.services, loaded.brief, images=loaded.images)
            done = wait_for_campaign(runtime.services, campaign.id, timeout_s=60)
            # The campaign message follows the campaign to its end, as a Slack-started one does.
            wait_until(
                lambda: "complete" in slack.message(CHANNEL, done["slack_ts"]).text,
                what="the campaign message to show the campaign complete",
            )
            creatives = [
                d.data
                for d in runtime.services.documents.query(f"campaigns/{campaign.id}/creatives")
            ]
        finally:
            runtime.stop()
        posted = {m.ts for m in slack.messages(CHANNEL)}

    assert done["status"] == "complete" and done["slack_channel"] == CHANNEL
    assert done["slack_ts"] in posted  # the campaign message
    assert creatives and all(c.get("slack_ts") in posted for c in creatives)  # one per creative
