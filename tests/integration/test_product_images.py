"""Product images enter once, at intake, as blobs under the campaign (issue 12): a file beside
the brief is uploaded by the CLI, an https URL is fetched by intake through safe_fetch; the render
step hands the render job those blobs and nothing else."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from infra.briefs import load_brief
from infra.cli import main
from infra.runtime import LocalRuntime, wait_for_campaign
from shared.bootstrap import bootstrap
from shared.net.safe_fetch import fetch
from shared.pipeline.campaigns import campaign_view, get_campaign, start_campaign
from shared.pipeline.runner import StepContext
from shared.pipeline.steps.render import render as render_step
from shared.ports.queue import Task
from shared.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes.http_server import FakeResponse, LoopbackServer, RecordedRequest
from tests.hostile.test_safe_fetch import PUBLIC_IP, PublicInternet, resolver_for
from tests.media.images import png_declaring

BOTTLE = EXAMPLES / "assets" / "glowdrop-bottle.png"
APP = EXAMPLES / "assets" / "ledgerly-app.png"
BRIEF = {
    "product": "GlowDrop vitamin C serum",
    "offer": "20% off the first order",
    "persona": "busy moms in their 30s",
    "market": "US",
    "languages": ["en"],
}


def _brief(folder: Path, images: list[str]) -> Path:
    path = folder / "brief.json"
    path.write_text(json.dumps({**BRIEF, "product_images": images}))
    return path


def test_an_image_beside_the_brief_is_a_campaign_blob_and_the_render_jobs_input(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "brief"
    (folder / "assets").mkdir(parents=True)
    shutil.copy(BOTTLE, folder / "assets" / "bottle.png")
    brief = _brief(folder, ["assets/bottle.png"])
    assert main(["campaign", "new", "--brief", str(brief), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    cid = made["id"]
    blob = f"campaigns/{cid}/inputs/product-1.png"
    assert made["status"] == "complete"
    assert made["product_images"] == [blob]
    assert made["brief"]["product_images"] == []
    assert str(tmp_path) not in json.dumps(made), "no path of the operator's machine is stored"

    services = bootstrap(Settings())
    assert services.blobs.get(blob) == BOTTLE.read_bytes()
    # The render step for one video, with the real render job (a subprocess reading blobs).
    ctx = StepContext(services, get_campaign(services, cid))
    render_step(ctx, Task(cid, "render", "V1"))
    prefix = f"campaigns/{cid}/render/V1"
    spec = json.loads(services.blobs.get(f"{prefix}/spec.json"))
    assert spec["product_images"] == ["product-1.png"]
    assert services.blobs.get(f"{prefix}/product-1.png") == BOTTLE.read_bytes()
    manifest = json.loads(services.blobs.get(f"{prefix}/out/manifest.json"))
    assert services.blobs.exists(f"{prefix}/out/{manifest['outputs'][0]['video']}")
    # designed from the brief (issue 18): the hero shows the product, an end card closes
    assert [s["role"] for s in spec["scenes"]] == ["hook", "product", "offer"]
    layouts = manifest["outputs"][0]["design"]["layouts"]
    assert "product_hero" in layouts and layouts[-1] == "end_card"


@pytest.fixture
def cdn() -> Iterator[tuple[LoopbackServer, dict[str, FakeResponse]]]:
    """A public image host: pages served by a loopback server behind a made-up public address."""
    pages: dict[str, FakeResponse] = {}

    def handle(request: RecordedRequest) -> FakeResponse:
        return pages.get(request.path, FakeResponse(404, "no such image"))

    with LoopbackServer(handle) as server:
        yield server, pages


def _run(home: Path, folder: Path, images: list[str], address: str, port: int) -> dict[str, Any]:
    loaded = load_brief(_brief(folder, images))
    with LocalRuntime(Settings(home=home)) as rt:
        transport = PublicInternet(port)
        rt.services.fetch = partial(
            fetch, resolver=resolver_for({"cdn.example.com": [address]}), transport=transport
        )
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        doc = wait_for_campaign(rt.services, campaign.id, timeout_s=120)
        view = campaign_view(rt.services, campaign.id)
        view["blobs"] = rt.services.blobs.list(f"campaigns/{campaign.id}/inputs/")
        transport.close()
    return {**view, "status": doc["status"], "error": doc.get("error")}


def test_an_https_image_url_is_fetched_at_intake_and_stored_after_the_files(
    home: Path, tmp_path: Path, cdn: Any
) -> None:
    server, pages = cdn
    pages["/app.png"] = FakeResponse(200, APP.read_bytes())
    shutil.copy(BOTTLE, tmp_path / "bottle.png")
    view = _run(
        home, tmp_path, ["https://cdn.example.com/app.png", "bottle.png"], PUBLIC_IP, server.port
    )
    assert view["status"] == "complete", view["error"]
    inputs = f"campaigns/{view['id']}/inputs"
    assert view["product_images"] == [f"{inputs}/product-1.png", f"{inputs}/product-2.png"]
    assert view["brief"]["product_images"] == ["https://cdn.example.com/app.png"]
    services = bootstrap(Settings(home=home))
    assert services.blobs.get(f"{inputs}/product-1.png") == BOTTLE.read_bytes()
    assert services.blobs.get(f"{inputs}/product-2.png") == APP.read_bytes()
    assert [r.headers["host"] for r in server.requests] == ["cdn.example.com"], "fetched once"


@pytest.mark.parametrize(
    ("address", "body", "words"),
    [
        ("10.0.0.7", None, ("10.0.0.7", "private")),
        ("127.0.0.1", None, ("127.0.0.1", "loopback")),
        (PUBLIC_IP, b"<html>not an image</html>", ("not a PNG, JPEG or WebP image",)),
        (PUBLIC_IP, png_declaring(50_000, 50_000), ("40,000,000 pixels",)),
        (PUBLIC_IP, None, ("HTTP 404",)),
    ],
    ids=["private", "loopback", "not-an-image", "bomb", "missing"],
)
def test_an_image_url_that_cannot_be_used_fails_the_campaign_at_intake(
    home: Path, tmp_path: Path, cdn: Any, address: str, body: bytes | None, words: tuple[str, ...]
) -> None:
    server, pages = cdn
    if isinstance(body, bytes):
        pages["/p.png"] = FakeResponse(200, body)
    view = _run(home, tmp_path, ["https://cdn.example.com/p.png"], address, server.port)
    assert view["status"] == "failed"
    error = view["error"]
    assert "product image 1 could not be used" in error and "cdn.example.com/p.png" in error
    for word in words:
        assert word in error, error
    assert view["creatives"] == [] and view["blobs"] == [], "nothing made after intake failed"
    if address != PUBLIC_IP:
        assert server.requests == [], "nothing was sent to the private address"
