"""The shipped Google Ads script, run under node with Apps Script's globals stood in for: what
it posts is accepted by the real /webhooks/google-ads route (signature and body format)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from shared.services import Services
from tests.loop.conftest import seed_campaign

SCRIPT = Path(__file__).resolve().parents[2] / "infra" / "google-ads-script.js"
# Apps Script's services, as far as the script uses them; HMAC bytes are signed, as in Apps Script.
HARNESS = """
const crypto = require('crypto');
const fs = require('fs');
const sent = [];
const rows = JSON.parse(process.argv[3]);
global.Logger = {log: () => {}};
global.Utilities = {Charset: {UTF_8: 'utf8'}, sleep: () => {},
  computeHmacSha256Signature: (value, key) => Array.from(
    crypto.createHmac('sha256', key).update(value, 'utf8').digest())
    .map(b => b > 127 ? b - 256 : b)};
global.UrlFetchApp = {fetch: (url, o) => { sent.push({url, body: o.payload, headers: o.headers});
  return {getResponseCode: () => 200, getContentText: () => ''}; }};
global.AdsApp = {currentAccount: () => ({getCustomerId: () => '123-456-7890'}),
  search: (q) => { const list = q.includes('FROM ad_group_ad') ? rows : []; let i = 0;
    return {hasNext: () => i < list.length, next: () => list[i++]}; }};
eval(fs.readFileSync(process.argv[2], 'utf8').replace("'set-me'", "'gads-secret'"));
main();
process.stdout.write(JSON.stringify(sent));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the Apps Script")
def test_the_scripts_signed_report_is_accepted_and_ingested(
    services: Services, tmp_path: Path
) -> None:
    seed_campaign(services, "c1", [{"label": "A"}])
    ads = [
        {
            "adGroupAd": {
                "ad": {
                    "id": 42,
                    "name": "adl.c1.A feed",
                    "finalUrls": ["https://x/?utm_content=adl.c1.A"],
                }
            },
            "segments": {"date": "2026-03-01"},
            "metrics": {
                "impressions": "1500",
                "clicks": "30",
                "costMicros": "12500000",
                "conversions": 1.5,  # a double in GAQL (metrics.proto: double conversions)
                "conversionsValue": 80.5,
            },
        }
    ]
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    out = subprocess.run(
        ["node", str(harness), str(SCRIPT), json.dumps(ads)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    [sent] = json.loads(out.stdout)
    header = sent["headers"]["X-Adloop-Signature"]
    stamp = int(header.split(",")[0].removeprefix("t="))
    from infra.app import create_app
    from shared.pipeline.runner import StepRunner
    from shared.task_endpoint import SharedTokenAuth
    from shared.web.webhooks import webhook_routes

    app = create_app(
        StepRunner(services, {}),
        SharedTokenAuth("t"),
        extra_routes=webhook_routes(services, services.settings, clock=lambda: float(stamp)),
    )
    r = app.test_client().post(
        "/webhooks/google-ads", data=sent["body"].encode(), headers={"X-Adloop-Signature": header}
    )
    assert r.status_code == 200, r.get_json()
    snap = services.documents.get("performance/google:42:2026-03-01")
    assert snap is not None and (snap["spend"], snap["conversions"], snap["revenue"]) == (
        12.5,
        1.5,
        80.5,
    )
