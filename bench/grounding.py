"""Does any creative claim what its brief does not say?

For each example brief, one campaign with 50 variations on the embedded default (offline
engine, SQLite, local queue, no render), then every claim extracted from every text a viewer
reads or hears: the A–G ads' copy, each variation's hook, on-screen text, voice-over and CTA,
and the V1–V5 video prompts, each checked against its brief and brand kit
(shared/creative/claims). Prints, per brief, the texts, the claims, how many the brief supports
and how many it does not (goal: 0), listing any unsupported one; exit 1 if there is one.

    .venv/bin/python bench/grounding.py [--variations 50] [examples/x.yaml ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from infra.briefs import load_brief  # noqa: E402
from infra.runtime import LocalRuntime, wait_for_campaign  # noqa: E402
from shared import brands  # noqa: E402
from shared.creative import claims  # noqa: E402
from shared.log import configure  # noqa: E402
from shared.pipeline.campaigns import campaign_view, start_campaign  # noqa: E402
from shared.settings import Settings  # noqa: E402

EXAMPLES = ("glowdrop-serum.yaml", "ledgerly-bookkeeping.json", "driftwell-magnesium.yaml")


def texts_of(view: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(where, language, text) for everything a campaign would show or say."""
    out = [
        (c["label"], c["language"], f"{c['headline']}. {c['primary_text']} {c['cta']}")
        for c in view["creatives"]
    ]
    for b in view["blueprints"]:
        spoken = [b["hook"], *(s["on_screen_text"] for s in b["scenes"]), b["voiceover"], b["cta"]]
        out += [(b["label"], b["language"], text) for text in spoken]
    # Video prompts are English, whatever the ads' language (shared/pipeline/steps/validate.py).
    out += [(v["id"], "en", v["prompt"]) for v in view["videos"]]
    return out


def run(path: Path, variations: int, why: bool = False) -> bool:
    loaded = load_brief(path, variations=variations)
    with (
        tempfile.TemporaryDirectory() as home,
        LocalRuntime(Settings(home=Path(home), render=False)) as rt,
    ):
        started = time.perf_counter()
        campaign = start_campaign(rt.services, loaded.brief, images=loaded.images)
        done = wait_for_campaign(rt.services, campaign.id, timeout_s=900)
        wall = time.perf_counter() - started
        view = campaign_view(rt.services, campaign.id)
        brand = brands.load_profile(
            rt.services.documents, done.get("brand_id"), done.get("brand_version")
        )
    brief = loaded.brief.model_dump(mode="json")
    sources = {lang: claims.sources_from(brief, brand, lang) for lang in ("en", "es")}
    counted = unsupported = 0
    missed: list[str] = []
    for where, language, text in texts_of(view):
        for trace in claims.ground(text, language, sources[language]):
            counted += 1
            if not trace.supported:
                unsupported += 1
                missed.append(f"    {where}: '{trace.span}' ({trace.kind}) in: {text}")
    flagged = sum(1 for x in view["creatives"] + view["blueprints"] if x.get("status") == "Flagged")
    print(f"{path.name}  ({done['status']}, {wall:.1f} s)")
    print(f"  texts        {len(texts_of(view))}")
    print(f"  claims       {counted}")
    print(f"  supported    {counted - unsupported}")
    print(f"  unsupported  {unsupported} (goal 0)")
    print(f"  flagged      {flagged} of {len(view['creatives']) + len(view['blueprints'])} ads")
    for ad in view["creatives"] + view["blueprints"]:
        if why and ad.get("status") == "Flagged":
            findings = (ad.get("scores") or {}).get("findings", []) + ad.get("findings", [])
            print(
                f"    {ad.get('label')}: "
                + "; ".join(f"{f['rule']} '{f['span']}'" for f in findings)
            )
    for line in missed:
        print(line)
    return unsupported == 0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--variations", type=int, default=50)
    p.add_argument("briefs", nargs="*", type=Path)
    p.add_argument("--why", action="store_true", help="list each flagged ad's findings")
    args = p.parse_args()
    configure("ERROR")
    paths = args.briefs or [REPO / "examples" / name for name in EXAMPLES]
    results = [run(path, args.variations, args.why) for path in paths]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
