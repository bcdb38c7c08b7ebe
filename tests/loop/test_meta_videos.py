"""A Meta export names each video by the id the ad account gave it: with the Marketing API
configured the export uploads the videos (once per ad account and file) and fills ``Video ID``;
without it ``Video ID`` stays empty and the notes say what a person does. The upload is tested
against a fake Graph API that refuses what Meta documents refusing
(tests/fakes/meta_graph_api.py)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from shared.adapters.meta_marketing import MetaInsightsClient
from shared.errors import PermanentError
from shared.loop.export import export_command
from shared.loop.meta_videos import video_doc
from shared.services import Services
from tests.fakes.http_server import LoopbackServer
from tests.fakes.meta_graph_api import FakeGraph, meta_graph_server
from tests.loop.conftest import LoopSettings, seed_campaign

# The start of an MP4 file: its ISO base media "ftyp" box (what adloop's renders begin with).
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
FILES = ("adl.c1.A.4x5.mp4", "adl.c1.A.9x16.mp4", "adl.c1.B.9x16.mp4")


def _blob(vid: str, aspect: str) -> str:
    return f"campaigns/c1/render/{vid}/out/{vid}_{aspect}.mp4"


@pytest.fixture
def campaign(services: Services, settings: LoopSettings) -> None:
    """Two approved creatives: A with a 4:5 and a 9:16 video, B with a 9:16 one."""
    seed_campaign(
        services,
        "c1",
        [
            {"label": "A", "tag": "Approved", "video_id": "V1"},
            {"label": "B", "tag": "Winner", "video_id": "V4", "language": "es"},
        ],
    )
    for vid, aspects in (("V1", ("9x16", "4x5")), ("V4", ("9x16",))):
        assets = {}
        for aspect in aspects:
            services.blobs.put(_blob(vid, aspect), MP4 + f"{vid}-{aspect}".encode())
            assets[aspect] = {"video": _blob(vid, aspect), "poster": "p", "sheet": "s"}
        services.documents.set(f"campaigns/c1/videos/{vid}", {"id": vid, "assets": assets})
    settings.meta_page_id = "104857600123"


@pytest.fixture
def graph(settings: LoopSettings) -> Iterator[tuple[FakeGraph, LoopbackServer]]:
    fake = FakeGraph()
    with meta_graph_server(fake) as server:
        settings.meta_access_token = SecretStr("meta-token")
        settings.meta_graph_url = server.url
        settings.meta_ad_account_id = "1234"  # the act_ prefix is optional
        yield fake, server


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "meta-ads-import.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _uploads(server: LoopbackServer) -> list[str]:
    return [r.path for r in server.requests if r.method == "POST" and "advideos" in r.path]


def test_the_export_uploads_each_video_and_names_it_by_its_id(
    services: Services, campaign: None, graph: tuple[FakeGraph, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = graph
    export_command(services, "c1", "meta", tmp_path)
    assert _uploads(server) == ["/v25.0/act_1234/advideos"] * 3
    by_name = {v.name: (vid, v) for vid, v in fake.videos.items()}
    assert sorted(by_name) == list(FILES)  # each named in the library by its file name
    rows = _rows(tmp_path)
    for row in rows:
        vid, video = by_name[row["Video File Name"]]
        assert row["Video ID"] == vid and video.account_id == "act_1234"
        assert video.data == (tmp_path / "videos" / row["Video File Name"]).read_bytes()
    notes = (tmp_path / "meta-ads-import-notes.txt").read_text()
    assert "act_1234's media library already" in notes and "upload the files" not in notes


def test_a_video_is_uploaded_once_across_exports(
    services: Services, campaign: None, graph: tuple[FakeGraph, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = graph
    export_command(services, "c1", "meta", tmp_path / "first")
    export_command(services, "c1", "meta", tmp_path / "again")  # a second click, a redelivery
    assert len(_uploads(server)) == 3 and len(fake.videos) == 3
    assert _rows(tmp_path / "first") == _rows(tmp_path / "again")
    remembered = services.documents.get(video_doc("act_1234", MP4 + b"V4-9x16")) or {}
    assert remembered["file"] == "adl.c1.B.9x16.mp4"
    assert remembered["id"] in {r["Video ID"] for r in _rows(tmp_path / "again")}


def test_a_refused_video_is_named_nothing_is_written_and_a_retry_uploads_only_the_rest(
    services: Services, campaign: None, graph: tuple[FakeGraph, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = graph
    services.blobs.put(_blob("V4", "9x16"), b"<html>not a video</html>")
    with pytest.raises(PermanentError, match=r"adl\.c1\.B\.9x16\.mp4.*format that we don't"):
        export_command(services, "c1", "meta", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert sorted(v.name for v in fake.videos.values()) == list(FILES[:2])
    services.blobs.put(_blob("V4", "9x16"), MP4 + b"V4-9x16")
    export_command(services, "c1", "meta", tmp_path / "out")
    assert len(_uploads(server)) == 4  # A's two, B refused, B again; A's not sent twice
    assert all(r["Video ID"] for r in _rows(tmp_path / "out"))


def test_a_throttled_upload_is_retried(
    services: Services, campaign: None, graph: tuple[FakeGraph, LoopbackServer], tmp_path: Path
) -> None:
    fake, server = graph
    fake.throttle_next(80004)  # ads_management Business Use Case limit
    export_command(services, "c1", "meta", tmp_path)
    assert len(_uploads(server)) == 4 and len(fake.videos) == 3
    assert all(r["Video ID"] for r in _rows(tmp_path))


def test_without_the_api_video_id_is_empty_and_the_notes_say_how_to_fill_it(
    services: Services, campaign: None, tmp_path: Path
) -> None:
    rows = _rows(export_command(services, "c1", "meta", tmp_path)[0].parent)
    assert {r["Video ID"] for r in rows} == {""}
    first = (tmp_path / "meta-ads-import-notes.txt").read_text().splitlines()[0]
    for words in ("files in videos/", "media library", "Video ID", "Video File Name"):
        assert words in first
    assert "META_ACCESS_TOKEN" in first and "ADLOOP_META_AD_ACCOUNT_ID" in first


def test_the_fake_refuses_what_meta_refuses(graph: tuple[FakeGraph, LoopbackServer]) -> None:
    fake, server = graph
    client = MetaInsightsClient("meta-token", base_url=server.url, video_base_url=server.url)
    with pytest.raises(PermanentError, match="does not exist"):
        client.upload_video("act_999", "a.mp4", MP4)  # an ad account the token cannot use
    with pytest.raises(PermanentError, match="format that we don't support"):
        client.upload_video("act_1234", "a.mp4", b"GIF89a")
    stranger = MetaInsightsClient("wrong", base_url=server.url, video_base_url=server.url)
    with pytest.raises(PermanentError, match="Invalid OAuth"):
        stranger.upload_video("act_1234", "a.mp4", MP4)
    url = f"{server.url}/v25.0/act_1234/advideos"
    no_source = httpx.post(url, params={"access_token": "meta-token"}, data={"name": "a.mp4"})
    assert (no_source.status_code, no_source.json()["error"]["code"]) == (400, 100)
    unsigned = httpx.post(url, files={"source": ("a.mp4", MP4)})
    assert unsigned.json()["error"]["code"] == 104
    assert fake.videos == {}
    client.close()
    stranger.close()
