"""Output aspects and each platform's safe zone (pure data, pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.models.render import TargetName

ALL_TARGETS: tuple[TargetName, ...] = ("9:16", "1:1", "4:5", "16:9")


@dataclass(frozen=True)
class Rect:
    """A pixel rectangle: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlap(self, other: Rect) -> int:
        """Area shared with ``other`` in square pixels."""
        dx = min(self.right, other.right) - max(self.x, other.x)
        dy = min(self.bottom, other.bottom) - max(self.y, other.y)
        return max(dx, 0) * max(dy, 0)


@dataclass(frozen=True)
class Target:
    name: TargetName
    width: int
    height: int

    @property
    def slug(self) -> str:
        """A file-name-safe name: ``9x16``."""
        return self.name.replace(":", "x")


TARGETS: dict[str, Target] = {
    "9:16": Target("9:16", 1080, 1920),
    "1:1": Target("1:1", 1080, 1080),
    "4:5": Target("4:5", 1080, 1350),
    "16:9": Target("16:9", 1920, 1080),
}


@dataclass(frozen=True)
class Margins:
    """Pixels each platform's interface may cover, measured in from each edge."""

    top: int
    bottom: int
    left: int
    right: int


@dataclass(frozen=True)
class UiOverlay:
    """What one platform's interface covers on a 1080x1920 vertical video, and where it says so."""

    platform: str
    top_px: int
    bottom_px: int
    right_px: int
    top_share: float
    bottom_share: float
    source: str


# The published safe zones (pixels of a 1080x1920 frame, or shares of its height) that no text,
# logo or product may enter. TikTok publishes its zone as downloadable diagrams on the In-Feed
# ads page (the zone depends on the caption's length), not as numbers: 150 px top, 440 px bottom
# and 150 px right are how specification guides read that diagram (e.g.
# https://adfuseai.com/blog/tiktok-ad-sizes-specs-guide); Reels: Meta's ads guide, "leave
# roughly 14% of the top and 35% of the bottom free from text and logos".
UI_OVERLAYS = (
    UiOverlay(
        "tiktok",
        top_px=150,
        bottom_px=440,
        right_px=150,
        top_share=0.0,
        bottom_share=0.0,
        source="https://ads.tiktok.com/help/article/tiktok-auction-in-feed-ads",
    ),
    UiOverlay(
        "instagram_reels",
        top_px=0,
        bottom_px=0,
        right_px=0,
        top_share=0.14,
        bottom_share=0.35,
        source="https://www.facebook.com/business/ads-guide/update/video/instagram-reels",
    ),
)
# The left edge has no interface; a small margin keeps text off the rounded screen corner.
LEFT_PX = 60
# Feeds (square, 4:5, landscape) show the whole frame: a border keeps text off the edge, and the
# bottom tenth is left for the feed's own caption and buttons drawn over some players.
FEED_EDGE_SHARE, FEED_BOTTOM_SHARE = 0.05, 0.10


def ui_margins(width: int, height: int) -> Margins:
    """The union of TikTok's and Reels' covered edges for a vertical video; feeds get a border.

    Taking the larger of each platform's margin keeps one render safe on both (UI_OVERLAYS).
    """
    if height > width * 1.5:
        sx, sy = width / 1080, height / 1920
        return Margins(
            top=max(max(round(o.top_px * sy), round(o.top_share * height)) for o in UI_OVERLAYS),
            bottom=max(
                max(round(o.bottom_px * sy), round(o.bottom_share * height)) for o in UI_OVERLAYS
            ),
            left=round(LEFT_PX * sx),
            right=max(round(o.right_px * sx) for o in UI_OVERLAYS),
        )
    edge = round(FEED_EDGE_SHARE * min(width, height))
    return Margins(top=edge, bottom=round(FEED_BOTTOM_SHARE * height), left=edge, right=edge)


def safe_rect(width: int, height: int) -> Rect:
    """Where text and the product may go without a platform's buttons covering them."""
    m = ui_margins(width, height)
    return Rect(m.left, m.top, width - m.left - m.right, height - m.top - m.bottom)
