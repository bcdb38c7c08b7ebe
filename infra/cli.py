"""``adloop``: the command line. Thin: parse arguments, call the service layer, print."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from shared.errors import AdloopError, BadInput
from shared.platforms.registry import PLATFORMS
from shared.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    from shared.log import configure

    settings = Settings()
    configure(settings.log_level)
    try:
        return int(args.run(args, settings) or 0)
    except AdloopError as e:
        print(f"adloop: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="adloop", description="Ad creatives from a brief, end to end.")
    sub = p.add_subparsers(metavar="COMMAND")

    s = sub.add_parser("serve", help="every route and the local queue workers on one port")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.set_defaults(run=cmd_serve)

    c = sub.add_parser("campaign", help="start, show, list and retry campaigns").add_subparsers(
        metavar="ACTION"
    )
    n = c.add_parser("new", help="start a campaign from a brief (YAML or JSON)")
    n.add_argument("--brief", type=Path, help="the brief (with --url: the fields the page lacks)")
    n.add_argument("--url", help="start from a product page (https://); what it gives is shown")
    n.add_argument("--yes", action="store_true", help="with --url: start without asking")
    n.add_argument(
        "--brand",
        help="a saved brand kit (`adloop brand list`): the brief may then give only product and "
        "offer; the campaign enriches that kit",
    )
    n.add_argument("--variations", type=int)
    n.add_argument("--wait", action="store_true", help="wait until it completes or fails")
    n.add_argument("--json", action="store_true")
    n.set_defaults(run=cmd_campaign_new)
    sh = c.add_parser("show", help="a campaign and its creatives")
    sh.add_argument("id")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(run=cmd_campaign_show)
    ls = c.add_parser("list", help="recent campaigns")
    ls.set_defaults(run=cmd_campaign_list)
    rt = c.add_parser("retry", help="resume a failed campaign from the step that failed")
    rt.add_argument("id")
    rt.add_argument("--wait", action="store_true")
    rt.set_defaults(run=cmd_campaign_retry)

    b = sub.add_parser("brand", help="the saved brand kits").add_subparsers(metavar="ACTION")
    bl = b.add_parser("list", help="the brands this machine's campaigns made")
    bl.set_defaults(run=cmd_brand_list)
    bs = b.add_parser("show", help="one brand kit")
    bs.add_argument("name")
    bs.add_argument("--json", action="store_true")
    bs.set_defaults(run=cmd_brand_show)
    bo = b.add_parser("logo", help="set a brand's logo (PNG, JPEG or WebP), used in its videos")
    bo.add_argument("name")
    bo.add_argument("file", type=Path)
    bo.set_defaults(run=cmd_brand_logo)

    r = sub.add_parser("render", help="render a video spec locally")
    r.add_argument("spec", type=Path)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument(
        "--all-targets", action="store_true", help="every aspect ratio, not just the spec's"
    )
    r.set_defaults(run=cmd_render)

    lc = sub.add_parser(
        "lint-copy",
        help="ad-policy and platform-limit verdicts, one JSON line each",
        description="Exit 0: every line clean; 1: findings (a line that cannot be read is an "
        "'input' finding, and the other lines are still linted); 2: the input cannot be read.",
    )
    lc.add_argument(
        "file", help="a JSONL file of {id, text, platform, language}, or - for standard input"
    )
    lc.add_argument(
        "--brief",
        type=Path,
        help="a brief file (YAML or JSON): every number, timeframe, price, comparison or "
        "health claim the copy makes must be stated in it (rule 'unsupported_claim')",
    )
    lc.set_defaults(run=cmd_lint_copy)

    e = sub.add_parser("export", help="bulk-upload files for an ad platform")
    e.add_argument("id")
    e.add_argument("--platform", choices=list(PLATFORMS), required=True)
    e.add_argument("--out", type=Path, required=True)
    e.add_argument("--all", action="store_true", help="every creative, not only Approved/Winner")
    e.set_defaults(run=cmd_export)

    pl = sub.add_parser(
        "pull", help="pull performance now from the configured platforms (Meta, TikTok)"
    )
    pl.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for the reports (300)"
    )
    pl.set_defaults(run=cmd_pull)
    d = sub.add_parser("demo", help="one campaign from an example brief to a review gallery")
    d.add_argument("--brief", type=Path)
    d.add_argument("--out", type=Path)
    d.add_argument("--all-aspects", action="store_true")
    d.set_defaults(run=cmd_demo)
    return p


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from infra.runtime import LocalRuntime

    runtime = LocalRuntime(settings, host=args.host, port=args.port).start(announce=True, pull=True)
    print(
        f"adloop serving on {runtime.url} (state in {settings.home_dir}); Ctrl-C stops", flush=True
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    runtime.stop()
    return 0


def cmd_campaign_new(args: argparse.Namespace, settings: Settings) -> int:
    from infra.briefs import load_brief
    from infra.runtime import LocalRuntime, running_server, wait_for_campaign
    from shared.bootstrap import bootstrap
    from shared.pipeline.campaigns import campaign_view, start_campaign

    if args.url is None and args.brief is None:
        raise BadInput("give the brief: --brief FILE, or --url URL of a product page")
    kit = _kit(bootstrap(settings), args.brand) if args.brand else None
    loaded = None if args.url else load_brief(args.brief, variations=args.variations, kit=kit)
    chosen = {"brand_id": kit.id} if kit else {}
    if settings.backend != "embedded" or running_server(settings.home_dir):
        # A server (or the cloud) owns the queue: hand the work over.
        services = bootstrap(settings)
        loaded = loaded or _from_page(services, args, kit)
        campaign = start_campaign(services, loaded.brief, images=loaded.images, **chosen)
        if args.wait:
            wait_for_campaign(services, campaign.id, on_progress=_progress(args))
        return _print_campaign(campaign_view(services, campaign.id), args.json)
    with LocalRuntime(settings) as runtime:
        loaded = loaded or _from_page(runtime.services, args, kit)
        campaign = start_campaign(runtime.services, loaded.brief, images=loaded.images, **chosen)
        if not args.json:
            print(f"campaign {campaign.id} started", file=sys.stderr)
        # Without a server the work runs in this process, so it must finish before we exit.
        wait_for_campaign(runtime.services, campaign.id, on_progress=_progress(args))
        view = campaign_view(runtime.services, campaign.id)
    return _print_campaign(view, args.json)


def _kit(services: Any, name: str) -> Any:  # a BrandKit
    from shared import brands
    from shared.errors import BadInput

    kit = brands.find_kit(services.documents, brands.LOCAL, name)
    if kit is None:
        known = ", ".join(k.name for k in brands.list_kits(services.documents, brands.LOCAL))
        raise BadInput(
            f"no brand {name!r}; saved brands: {known or 'none yet'} (`adloop brand list`)"
        )
    return kit


def cmd_brand_list(args: argparse.Namespace, settings: Settings) -> int:
    from shared import brands
    from shared.bootstrap import bootstrap

    for kit in brands.list_kits(bootstrap(settings).documents, brands.LOCAL):
        print(f"{kit.name}  v{kit.version}  {kit.landing_domain or '-'}  {', '.join(kit.voice)}")
    return 0


def cmd_brand_show(args: argparse.Namespace, settings: Settings) -> int:
    kit = _kit(_services(settings), args.name)
    if args.json:
        print(json.dumps(kit.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return 0
    print(f"{kit.name} (version {kit.version})")
    shown_fields = ("voice", "positioning", "avoid", "proof", "colors", "landing_domain", "logo")
    for field in (*shown_fields, "persona"):
        value = getattr(kit, field)
        shown = ", ".join(value) if isinstance(value, list) else value
        print(f"  {field}: {shown or '-'}")
    return 0


def cmd_brand_logo(args: argparse.Namespace, settings: Settings) -> int:
    """The image checked as a brief's product images are, kept under the local kit; one new
    version of the kit (none when it already has this logo)."""
    import uuid

    from shared import brands
    from shared.media.images import MAX_IMAGE_BYTES, accept_image

    services = _services(settings)
    kit = _kit(services, args.name)
    try:
        size = args.file.stat().st_size
        if size > MAX_IMAGE_BYTES:  # refused before it is read
            raise BadInput(
                f"{args.file.name}: {size:,} bytes is over the {MAX_IMAGE_BYTES:,}-byte limit"
            )
        data = args.file.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read the logo {args.file}: {e.strerror or e}") from e
    image = accept_image(data, args.file.name)
    path = brands.store_logo(services.blobs, kit.id, image)
    saved = brands.edit(
        services.documents,
        kit.id,
        brands.LOCAL,
        {"logo": path},
        by="cli",
        request_id=uuid.uuid4().hex,
    )
    print(f"{saved.name} (version {saved.version}): logo {path}")
    return 0


def _services(settings: Settings) -> Any:
    from shared.bootstrap import bootstrap

    return bootstrap(settings)


def _from_page(services: Any, args: argparse.Namespace, kit: Any = None) -> Any:
    """``--url``: the brief from the page and the ``--brief`` file's fields, shown first."""
    from infra.briefs import BriefFile, load_brief_fields
    from infra.page_brief import Console, brief_from_url

    given, images = ({}, ()) if args.brief is None else load_brief_fields(args.brief, kit=kit)
    if kit is not None and args.brief is None:
        from shared.brands import with_kit

        given = with_kit(given, kit)
    if args.variations is not None:
        given["variations"] = args.variations
    console = Console(sys.stderr, input if sys.stdin.isatty() else None)
    brief = brief_from_url(services, args.url, given, yes=args.yes, console=console)
    return BriefFile(brief, images)


def cmd_campaign_show(args: argparse.Namespace, settings: Settings) -> int:
    from shared.bootstrap import bootstrap
    from shared.pipeline.campaigns import campaign_view

    return _print_campaign(campaign_view(bootstrap(settings), args.id), args.json)


def cmd_campaign_list(args: argparse.Namespace, settings: Settings) -> int:
    from shared.bootstrap import bootstrap
    from shared.pipeline.campaigns import list_campaigns

    for c in list_campaigns(bootstrap(settings)):
        print(f"{c['id']}  {c['status']:<9} {c['created_at']}  {c['product']}")
    return 0


def cmd_campaign_retry(args: argparse.Namespace, settings: Settings) -> int:
    from infra.runtime import LocalRuntime, running_server, wait_for_campaign
    from shared.pipeline.campaigns import campaign_view

    if running_server(settings.home_dir):
        from shared.bootstrap import bootstrap

        print(_resume(bootstrap(settings), args.id))
        return 0
    with LocalRuntime(settings) as runtime:
        print(_resume(runtime.services, args.id), file=sys.stderr)
        wait_for_campaign(runtime.services, args.id)
        runtime.wait_idle()
        return _print_campaign(campaign_view(runtime.services, args.id), False)


def _resume(services: Any, campaign_id: str) -> str:
    """A failed campaign resumes at its failed tasks; a stalled one gets the tasks the local
    queue gave up on (after its retries ran out) sent again."""
    from shared.errors import BadInput
    from shared.pipeline.campaigns import get_campaign, retry_campaign

    campaign = get_campaign(services, campaign_id)
    if campaign.status == "failed":
        tasks = retry_campaign(services, campaign_id)
        return f"resumed {campaign_id} at {', '.join(t.name for t in tasks)}"
    requeue = getattr(services.queue, "requeue_dead", None)
    count = requeue(campaign_id) if requeue is not None else 0
    if count:
        return f"resumed {campaign_id}: {count} task(s) the queue had given up on, sent again"
    raise BadInput(f"campaign {campaign_id} is {campaign.status} with nothing to retry")


def cmd_render(args: argparse.Namespace, settings: Settings) -> int:
    from gpu_jobs.cli import render_command
    from gpu_jobs.settings import RenderSettings

    # The render job's own settings (voice, video generator), as the job reads them.
    return render_command(
        args.spec, args.out, RenderSettings(), all_targets=args.all_targets or None
    )


def cmd_lint_copy(args: argparse.Namespace, settings: Settings) -> int:
    from shared.platforms.lint_copy import main as lint_main

    brief = None
    if args.brief is not None:
        from infra.briefs import load_brief_words

        # Read (and refused, exit 2) before any line is linted: nothing is written.
        brief = load_brief_words(args.brief).model_dump(mode="json")
    return lint_main(args.file, sys.stdout, brief=brief)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from shared.bootstrap import bootstrap
    from shared.loop.export import export_command

    services = bootstrap(settings)
    for path in export_command(services, args.id, args.platform, args.out, include_all=args.all):
        print(path)
    return 0


def cmd_pull(args: argparse.Namespace, settings: Settings) -> int:
    from infra.runtime import LocalRuntime, running_server
    from shared.bootstrap import bootstrap
    from shared.loop.pull import pull_configured, pull_performance

    if not pull_configured(settings):
        print(
            "no platform to pull from: set META_ACCESS_TOKEN and ADLOOP_META_AD_ACCOUNT_ID, "
            "or TIKTOK_ACCESS_TOKEN and ADLOOP_TIKTOK_ADVERTISER_ID (Google's figures arrive "
            "by its Ads script's push)",
            file=sys.stderr,
        )
        return 2
    if settings.backend != "embedded" or running_server(settings.home_dir):
        # A server (or the cloud) owns the queue: it reads the reports.
        print(json.dumps(pull_performance(bootstrap(settings), settings, on_demand=True)))
        return 0
    with LocalRuntime(settings) as runtime:
        asked = pull_performance(runtime.services, settings, on_demand=True)
        finished = runtime.wait_idle(args.timeout)
        stored = len(runtime.services.documents.query("performance"))
    print(json.dumps({**asked, "finished": finished, "snapshots": stored}))
    if not finished:
        print(
            "reports still running: `adloop serve` (or the next `adloop pull`) reads them",
            file=sys.stderr,
        )
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from infra.demo import run_demo
    from shared.log import configure

    if "log_level" not in settings.model_fields_set:
        configure("WARNING")  # the progress bars tell the story; logs only for trouble

    return run_demo(settings, brief_path=args.brief, out=args.out, all_aspects=args.all_aspects)


def _progress(args: argparse.Namespace) -> Any:
    if getattr(args, "json", False):
        return None

    def show(doc: dict[str, Any]) -> None:
        from shared.pipeline.flow import FLOW

        steps = doc.get("steps") or {}
        order = {name: i for i, name in enumerate(FLOW.shown)}
        done = sorted(
            (name for name, s in steps.items() if s.get("status") == "done"),
            key=lambda name: (order.get(name, len(order)), name),
        )
        print(f"  … {', '.join(done) or 'starting'}", file=sys.stderr)

    return show


_ENGINE = {"offline": "the offline engine: the brief's own words, no model"}


def _print_campaign(view: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print(json.dumps(view, indent=2, ensure_ascii=False, default=str))
    else:
        providers = sorted({c.get("provider") or "" for c in view.get("creatives", [])} - {""})
        written = f" (written by {', '.join(_ENGINE.get(p, p) for p in providers)})"
        print(f"campaign {view['id']}: {view['status']}" + (written if providers else ""))
        if view.get("error"):
            print(f"  error: {view['error']}")
        if view.get("stalled"):
            print(f"  stalled: {view['stalled_message']}")
        for c in view.get("creatives", []):
            s = c.get("scores") or {}
            print(
                f"  {c['label']} {c['funnel_stage']:<10} {c['language']} "
                f"{c.get('video_id') or '':<3} "
                f"judge {s.get('judge', '-')!s:>5}  {c['headline']}"
            )
        if view.get("blueprints"):
            print(f"  + {len(view['blueprints'])} blueprint variations")
        usage = view.get("usage") or {}
        print(
            f"  model calls {usage.get('calls', 0)}, tokens {usage.get('input_tokens', 0)}+"
            f"{usage.get('output_tokens', 0)}, est. cost ${usage.get('cost_usd', 0):.4f}"
        )
    return 0 if view["status"] != "failed" else 1
