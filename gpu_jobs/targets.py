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


def ui_margins(width: int, height: int) -> Margins:
    """The union of TikTok's and Reels' covered edges for a vertical video; feeds get a border.

    TikTok keeps ~150 px top, 440 px bottom and 150 px right of 1080×1920 clear; Reels ~14 % top
    and 35 % bottom. Taking the larger of each keeps one render safe on both.
    """
    if height > width * 1.5:
        sx = width / 1080
        return Margins(
            top=max(round(150 * height / 1920), round(0.14 * height)),
            bottom=max(round(440 * height / 1920), round(0.35 * height)),
            left=round(60 * sx),
            right=round(150 * sx),
        )
    edge = round(0.05 * min(width, height))
    return Margins(top=edge, bottom=round(0.10 * height), left=edge, right=edge)


def safe_rect(width: int, height: int) -> Rect:
    """Where text and the product may go without a platform's buttons covering them."""
    m = ui_margins(width, height)
    return Rect(m.left, m.top, width - m.left - m.right, height - m.top - m.bottom)
