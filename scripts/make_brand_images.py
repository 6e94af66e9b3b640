"""Draw the brand images of the integration (icon and logo, light and dark).

Home Assistant (2026.3 and later) serves the images that a custom integration
ships in ``custom_components/<domain>/brand/``; HACS needs ``brand/icon.png``.
Sizes follow the home-assistant/brands rules: the icon is square, 256x256 and
512x512 for ``@2x``; the logo's shortest side is 128 (256 for ``@2x``).  Every
image is trimmed, has a transparent background and a ``dark_`` variant that
reads well on a dark theme.

The artwork is an outdoor heat-pump unit: a rounded cabinet with a fan grille
whose blades are half warm and half cold, vent slats and a heart for "care".
The logo adds the wordmark "Heat Pump Care" in DejaVu Sans Bold.

Pillow comes with Home Assistant, so the project environment can run this;
the wordmark needs DejaVu Sans Bold (Debian package fonts-dejavu-core)::

    scripts/run python scripts/make_brand_images.py
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "custom_components" / "heat_pump_care" / "brand"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)
WORDMARK = "Heat Pump Care"
# Oversampling factor: shapes are drawn this much larger, then downscaled.
SUPERSAMPLE = 4
# The artwork is designed on a square of this many units.
DESIGN = 1000.0

type RGBA = tuple[int, int, int, int]


def _rgb(hex_colour: str) -> RGBA:
    """Turn ``#rrggbb`` into an opaque RGBA tuple."""
    value = int(hex_colour.removeprefix("#"), 16)
    return (value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF, 255)


@dataclass(slots=True, frozen=True)
class Palette:
    """Colours of one variant (light or dark theme)."""

    outline: RGBA
    body: RGBA
    grille: RGBA
    cold: RGBA
    warm: RGBA
    hub: RGBA
    heart: RGBA
    slat: RGBA
    text: RGBA
    text_accent: RGBA


LIGHT = Palette(
    outline=_rgb("#263238"),
    body=_rgb("#F4F7FA"),
    grille=_rgb("#263238"),
    cold=_rgb("#1E88E5"),
    warm=_rgb("#FB8C00"),
    hub=_rgb("#263238"),
    heart=_rgb("#E53935"),
    slat=_rgb("#90A4AE"),
    text=_rgb("#263238"),
    text_accent=_rgb("#E53935"),
)
DARK = Palette(
    outline=_rgb("#CFD8DC"),
    body=_rgb("#2E3B43"),
    grille=_rgb("#CFD8DC"),
    cold=_rgb("#42A5F5"),
    warm=_rgb("#FFA726"),
    hub=_rgb("#CFD8DC"),
    heart=_rgb("#FF5252"),
    slat=_rgb("#78909C"),
    text=_rgb("#ECEFF1"),
    text_accent=_rgb("#FF6E6E"),
)


class _Pen:
    """Draw on a canvas using design units (0..1000 across the icon)."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: float) -> None:
        """Wrap ``draw``; one design unit is ``scale`` pixels."""
        self._draw = draw
        self._scale = scale

    def _px(self, value: float) -> float:
        """Convert design units to pixels."""
        return value * self._scale

    def rounded(
        self,
        box: tuple[float, float, float, float],
        radius: float,
        fill: RGBA | None = None,
        outline: RGBA | None = None,
        width: float = 0,
    ) -> None:
        """Draw a rounded rectangle ``(left, top, right, bottom)``."""
        self._draw.rounded_rectangle(
            [self._px(v) for v in box],
            radius=round(self._px(radius)),
            fill=fill,
            outline=outline,
            width=round(self._px(width)),
        )

    def circle(
        self,
        centre: tuple[float, float],
        radius: float,
        fill: RGBA | None = None,
        outline: RGBA | None = None,
        width: float = 0,
    ) -> None:
        """Draw a circle; an outline is drawn inside ``radius``."""
        x, y = centre
        self._draw.ellipse(
            [
                self._px(x - radius),
                self._px(y - radius),
                self._px(x + radius),
                self._px(y + radius),
            ],
            fill=fill,
            outline=outline,
            width=round(self._px(width)),
        )

    def polygon(self, points: list[tuple[float, float]], fill: RGBA) -> None:
        """Draw a filled polygon."""
        self._draw.polygon([(self._px(x), self._px(y)) for x, y in points], fill=fill)


def _blade(
    centre: tuple[float, float], start: float, inner: float, outer: float
) -> list[tuple[float, float]]:
    """Outline of one swept fan blade starting at angle ``start`` (radians)."""
    cx, cy = centre
    steps = 48
    sweep = math.radians(55)
    leading: list[tuple[float, float]] = []
    trailing: list[tuple[float, float]] = []
    for i in range(steps + 1):
        t = i / steps
        r = inner + (outer - inner) * t
        middle = start + sweep * t * t
        # Narrow at the hub, widest past the middle, rounded at the tip.
        half = math.radians(4 + 26 * math.sin(math.pi * min(t * 0.82 + 0.1, 1.0)))
        if t > 0.85:
            half *= math.sqrt(max(0.0, 1 - ((t - 0.85) / 0.15) ** 2))
        leading.append(
            (cx + r * math.cos(middle + half), cy + r * math.sin(middle + half))
        )
        trailing.append(
            (cx + r * math.cos(middle - half), cy + r * math.sin(middle - half))
        )
    return leading + trailing[::-1]


def _heart(centre: tuple[float, float], size: float) -> list[tuple[float, float]]:
    """Outline of a heart about ``size`` units wide, centred on ``centre``."""
    cx, cy = centre
    points = []
    for i in range(240):
        t = 2 * math.pi * i / 240
        x = 16 * math.sin(t) ** 3
        y = (
            13 * math.cos(t)
            - 5 * math.cos(2 * t)
            - 2 * math.cos(3 * t)
            - math.cos(4 * t)
        )
        points.append((cx + x * size / 34, cy - (y + 2.5) * size / 34))
    return points


def draw_icon(size: int, palette: Palette) -> Image.Image:
    """Return the square icon, ``size`` pixels wide, on transparency."""
    canvas = size * SUPERSAMPLE
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    pen = _Pen(ImageDraw.Draw(image), canvas / DESIGN)

    # Feet, then the cabinet over them.
    for left in (120.0, 740.0):
        pen.rounded((left, 820, left + 140, 1000), 36, fill=palette.outline)
    pen.rounded(
        (0, 0, 1000, 880), 110, fill=palette.body, outline=palette.outline, width=48
    )

    # Fan: swept blades alternately warm and cold, guard rings, hub.
    fan = (375.0, 440.0)
    for n in range(4):
        colour = palette.warm if n % 2 == 0 else palette.cold
        pen.polygon(_blade(fan, math.radians(-100 + 90 * n), 40, 262), colour)
    pen.circle(fan, 300, outline=palette.grille, width=44)
    pen.circle(fan, 66, fill=palette.hub)
    pen.circle(fan, 24, fill=palette.body)

    # Side panel: a heart for "care" and vent slats.
    pen.polygon(_heart((830.0, 260.0), 190), palette.heart)
    for top in (490.0, 580.0, 670.0):
        pen.rounded((740, top, 920, top + 40), 20, fill=palette.slat)

    return image.resize((size, size), Image.Resampling.LANCZOS)


def _font_path(explicit: Path | None) -> Path:
    """Return the wordmark font: ``explicit`` or the first installed candidate."""
    if explicit is not None:
        return explicit
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    msg = "DejaVu Sans Bold not found: install fonts-dejavu-core or pass --font"
    raise SystemExit(msg)


def draw_logo(height: int, palette: Palette, font_path: Path) -> Image.Image:
    """Return the logo (icon plus wordmark), ``height`` pixels tall."""
    icon = draw_icon(height, palette)
    canvas_h = height * SUPERSAMPLE
    font = ImageFont.truetype(str(font_path), round(canvas_h * 0.42))
    first, accent = WORDMARK.rsplit(" ", 1)
    first += " "
    scratch = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    first_w = scratch.textlength(first, font=font)
    accent_w = scratch.textlength(accent, font=font)
    gap = round(canvas_h * 0.2)
    text_w = math.ceil(first_w + accent_w)

    text = Image.new("RGBA", (text_w + canvas_h, canvas_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(text)
    # Centre the cap height of the wordmark on the cabinet (rows 0..880).
    _, cap_top, _, baseline = font.getbbox("H", anchor="ls")
    centre_y = canvas_h * 440 / DESIGN
    baseline_y = centre_y - (cap_top + baseline) / 2
    draw.text((0, baseline_y), first, font=font, fill=palette.text, anchor="ls")
    draw.text(
        (first_w, baseline_y), accent, font=font, fill=palette.text_accent, anchor="ls"
    )
    bbox = text.getbbox()
    if bbox is None:  # pragma: no cover - the font always draws something
        msg = "the wordmark rendered empty"
        raise SystemExit(msg)
    text = text.crop((bbox[0], 0, bbox[2], canvas_h))
    scaled_w = round(text.width / SUPERSAMPLE)
    text = text.resize((scaled_w, height), Image.Resampling.LANCZOS)

    logo = Image.new("RGBA", (height + round(gap / SUPERSAMPLE) + scaled_w, height))
    logo.alpha_composite(icon, (0, 0))
    logo.alpha_composite(text, (height + round(gap / SUPERSAMPLE), 0))
    return logo


def save_png(image: Image.Image, path: Path) -> None:
    """Save ``image`` trimmed of empty borders, as a compact optimised PNG."""
    bbox = image.getbbox()
    if bbox is not None and bbox != (0, 0, image.width, image.height):
        msg = f"{path.name}: artwork does not reach every edge ({bbox})"
        raise SystemExit(msg)
    quantized = image.quantize(
        colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    quantized.save(path, optimize=True)


def main() -> None:
    """Write all brand images into the output directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory"
    )
    parser.add_argument("--font", type=Path, help="TrueType font for the wordmark")
    args = parser.parse_args()
    out: Path = args.out
    font = _font_path(args.font)
    out.mkdir(parents=True, exist_ok=True)
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        for suffix, scale in (("", 1), ("@2x", 2)):
            save_png(draw_icon(256 * scale, palette), out / f"{prefix}icon{suffix}.png")
            save_png(
                draw_logo(128 * scale, palette, font), out / f"{prefix}logo{suffix}.png"
            )
    for path in sorted(out.glob("*.png")):
        with Image.open(path) as image:
            print(
                f"{path.relative_to(ROOT)}: {image.width}x{image.height}, {path.stat().st_size} bytes"
            )


if __name__ == "__main__":
    main()
