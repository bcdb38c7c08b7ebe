"""Brand kits on real SQLite: one version per change, one enrichment per campaign however often
its intake runs, a person's fields kept, the avoid list never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import brands
from shared.adapters.local_folder import FolderBlobs
from shared.adapters.sqlite import SqliteDocuments
from shared.adapters.subprocess_jobs import SubprocessJobRunner
from shared.creative.offline import OfflineGenerator
from shared.errors import PermanentError
from shared.models import Brief, Campaign
from shared.models.brand import BrandKit
from shared.pipeline import store
from shared.pipeline.runner import StepContext
from shared.pipeline.steps.intake import intake
from shared.ports.queue import Task
from shared.services import Services
from shared.settings import Settings

GLOW = Brief(
    product="GlowDrop Vitamin C Serum",
    brand_name="GlowDrop",
    offer="20% off",
    persona="busy moms",
    market="US",
    avoid=["miracle"],
    proof=["4.8 stars from 2,300 reviews"],
    brand_colors=["#f2a65a"],
    landing_url="https://glowdrop.example/serum",
)


class NoQueue:
    def enqueue(self, task: Task, *, delay_s: float = 0.0) -> bool:
        return True


@pytest.fixture
def services(tmp_path: Path) -> Services:
    return Services(
        settings=Settings(home=tmp_path),
        documents=SqliteDocuments(tmp_path / "state.db"),
        blobs=FolderBlobs(tmp_path / "blobs"),
        queue=NoQueue(),
        jobs=SubprocessJobRunner(tmp_path / "jobs"),
        textgen=lambda step: OfflineGenerator(),
    )


def _intake(services: Services, campaign: Campaign) -> dict[str, object]:
    services.documents.set(store.campaign_path(campaign.id), store.campaign_doc(campaign))
    return intake(StepContext(services, campaign), Task(campaign.id, "intake", "0")).campaign


def test_the_first_campaign_makes_the_kit_and_a_redelivery_makes_no_second_version(
    services: Services,
) -> None:
    campaign = Campaign(id="c1", brief=GLOW, workspace="T1")
    first = _intake(services, campaign)
    again = _intake(services, campaign)  # intake ran again: a crash before the runner's commit

    assert first == again
    assert first["brand_id"] == "T1:glowdrop" and first["brand_version"] == 1
    kit = brands.get_kit(services.documents, "T1:glowdrop")
    assert kit is not None and kit.version == 1
    assert kit.colors == ["#f2a65a"] and kit.landing_domain == "glowdrop.example"
    assert kit.persona == "busy moms" and "miracle" in kit.avoid
    assert services.documents.query("brands/T1:glowdrop/versions") != []
    assert len(services.documents.query("brands/T1:glowdrop/versions")) == 1


def test_a_later_campaign_enriches_the_kit_and_keeps_what_a_person_set(
    services: Services,
) -> None:
    _intake(services, Campaign(id="c1", brief=GLOW, workspace="T1"))
    edited = brands.edit(
        services.documents,
        "T1:glowdrop",
        "T1",
        {"voice": ["bold", "direct"], "avoid": ["cheap"]},
        by="U1",
        request_id="V1",
    )
    assert edited.version == 2 and set(edited.set_by_person) == {"voice", "avoid"}

    later = GLOW.model_copy(
        update={
            "product": "GlowDrop Eye Cream",
            "brand_voice": "playful, witty",
            "avoid": ["flawless"],
            "proof": ["Dermatologist tested"],
            "persona": "new dads",
        }
    )
    done = _intake(services, Campaign(id="c2", brief=later, workspace="T1"))

    kit = brands.get_kit(services.documents, "T1:glowdrop")
    assert kit is not None and done["brand_version"] == kit.version == 3
    assert kit.voice == ["bold", "direct"], "a person's voice is not replaced by a campaign's"
    assert kit.avoid[:1] == ["cheap"] and "flawless" in kit.avoid
    assert "4.8 stars from 2,300 reviews" in kit.proof and "Dermatologist tested" in kit.proof
    assert kit.persona == "new dads"
    # The version campaign c1 used is still there, as it was.
    v1 = brands.load_version(services.documents, "T1:glowdrop", 1)
    assert v1 is not None and "cheap" not in v1.avoid


def test_another_workspace_has_its_own_kit_of_the_same_name(services: Services) -> None:
    _intake(services, Campaign(id="c1", brief=GLOW, workspace="T1"))
    _intake(services, Campaign(id="c2", brief=GLOW, workspace="T2"))
    assert [k.id for k in brands.list_kits(services.documents, "T1")] == ["T1:glowdrop"]
    assert [k.id for k in brands.list_kits(services.documents, "T2")] == ["T2:glowdrop"]


def test_a_brand_of_another_workspace_cannot_be_chosen(services: Services) -> None:
    _intake(services, Campaign(id="c1", brief=GLOW, workspace="T1"))
    with pytest.raises(PermanentError, match="not one of this workspace's"):
        _intake(services, Campaign(id="c2", brief=GLOW, workspace="T2", brand_id="T1:glowdrop"))


def test_an_edit_submitted_twice_is_one_version_and_no_change_is_no_version(
    services: Services,
) -> None:
    docs = services.documents
    one = brands.edit(docs, "T1:acme", "T1", {"name": "Acme"}, by="U1", request_id="V9")
    two = brands.edit(docs, "T1:acme", "T1", {"name": "Acme"}, by="U1", request_id="V9")
    same = brands.edit(docs, "T1:acme", "T1", {"name": "Acme"}, by="U1", request_id="V10")
    assert one.version == two.version == same.version == 1
    assert len(docs.query("brands/T1:acme/versions")) == 1


def test_a_kit_fills_a_brief_and_the_brief_wins_where_it_speaks() -> None:
    kit = BrandKit(
        id="T1:glowdrop",
        workspace="T1",
        name="GlowDrop",
        positioning="",
        voice=["warm"],
        avoid=["miracle"],
        proof=["4.8 stars"],
        colors=["#f2a65a"],
        landing_domain="glowdrop.example",
        persona="busy moms",
        market="US",
    )
    data = brands.with_kit({"product": "Eye cream", "offer": "2 for 1", "avoid": ["cheap"]}, kit)
    brief = Brief.from_user(data)
    assert brief.avoid == ["cheap", "miracle"] and brief.proof == ["4.8 stars"]
    assert brief.brand_voice == "warm" and brief.landing_url == "https://glowdrop.example/"
    assert Brief.from_user(brands.with_kit({**data, "market": "MX"}, kit)).market == "MX"


def test_a_typed_name_is_never_read_as_a_path_and_names_never_share_a_kit(
    services: Services,
) -> None:
    docs = services.documents
    # A name shaped like an id with a slash (typed in the form or `/adloop brand`) is a name.
    assert brands.find_kit(docs, "T1", "T1:x/y") is None
    assert brands.find_kit(docs, "T1", "T1:glowdrop/versions/000001") is None
    assert brands.kit_id("T1", "🍮") != brands.kit_id("T1", "🍰")
    long_a, long_b = "GlowDrop " * 5 + "Serum", "GlowDrop " * 5 + "Cream"
    assert brands.kit_id("T1", long_a) != brands.kit_id("T1", long_b)
    assert brands.kit_id("T1", "GlowDrop") == "T1:glowdrop"  # plain names keep their id


def test_only_the_fields_a_person_changed_become_theirs(services: Services) -> None:
    docs = services.documents
    brands.edit(docs, "T1:acme", "T1", {"name": "Acme"}, by="U1", request_id="V1")
    kit = brands.get_kit(docs, "T1:acme")
    assert kit is not None
    # Slack sends every input; only the voice differs from the kit.
    sent = {"voice": ["bold"], "positioning": kit.positioning, "colors": list(kit.colors)}
    edited = brands.edit(docs, "T1:acme", "T1", sent, by="U1", request_id="V2")
    assert "voice" in edited.set_by_person
    assert "positioning" not in edited.set_by_person and "colors" not in edited.set_by_person
