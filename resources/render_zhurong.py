#!/usr/bin/env python3
"""Render the stand-in illustrations of the bundled Zhurong gallery.

We do not have CNSA's photographs, so the gallery ships drawings of the four scenes the
story describes. Everything is computed from fixed seeds, so running this again on the
same Pillow gives the same pictures:

    python resources/render_zhurong.py resources/gallery/zhurong

The flow for each scene: sky gradient, distant ridges, a ground plane textured with
value noise through a perspective transform, rocks placed in world space and drawn far
to near, the scene's hardware (rover, landing platform, ramp), dust haze towards the
horizon, grain and vignette; everything drawn at twice the size and reduced for smooth
edges. Each JPEG then gets EXIF (ImageDescription, Artist, Copyright, DateTime,
Software) and an IPTC caption and credit that say plainly it is an illustration.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from viewer.metadata import iptc

WIDTH, HEIGHT = 1920, 1280
SUPERSAMPLE = 2
RENDERED_ON = "2026:11:24 00:00:00"  # when these drawings were made, not when CNSA took photos

Color = tuple[int, int, int]
Point = tuple[float, float]

SKY_TOP: Color = (150, 112, 88)
SKY_HORIZON: Color = (226, 189, 148)
HAZE: Color = (214, 170, 128)
SOIL_DARK: Color = (136, 82, 50)
SOIL_MID: Color = (176, 112, 68)
SOIL_LIGHT: Color = (206, 148, 100)
ROCK_DARK: Color = (64, 44, 36)
ROCK_LIGHT: Color = (150, 104, 74)
PANEL_BLUE: Color = (34, 52, 96)
PANEL_LINE: Color = (88, 108, 150)
FOIL_GOLD: Color = (196, 152, 64)
WHITE_BODY: Color = (222, 220, 212)
FLAG_RED: Color = (200, 24, 30)
FLAG_YELLOW: Color = (255, 222, 0)


def mix(a: Color, b: Color, t: float) -> Color:
    """Blend two colours; t=0 gives a, t=1 gives b."""
    t = min(max(t, 0.0), 1.0)
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(color: Color, factor: float) -> Color:
    return mix((0, 0, 0), color, factor) if factor < 1 else mix(color, (255, 255, 255), factor - 1)


@dataclass(frozen=True)
class Camera:
    """A level pinhole camera; the horizon may sit anywhere (a shifted lens)."""

    width: int
    height: int
    horizon: float
    focal: float
    eye_height: float

    def project(self, x: float, y: float, z: float) -> Point:
        """World metres (x right, y up, z ahead) to canvas pixels."""
        return (
            self.width / 2 + self.focal * x / z,
            self.horizon + self.focal * (self.eye_height - y) / z,
        )

    def scale(self, z: float) -> float:
        """Pixels per metre at depth z."""
        return self.focal / z

    def depth_of_row(self, row: float) -> float:
        return self.focal * self.eye_height / max(row - self.horizon, 1e-3)


def value_noise(
    rng: random.Random, size: tuple[int, int], octaves: Sequence[tuple[int, float]]
) -> Image.Image:
    """Fractal value noise as an 'L' image: each octave is random cells smoothly enlarged."""
    width, height = size
    total = Image.new("L", size, 128)
    weight_sum = 0.0
    for cells, weight in octaves:
        cw = max(2, cells)
        ch = max(2, round(cells * height / width))
        layer = Image.frombytes("L", (cw, ch), rng.randbytes(cw * ch)).resize(
            size, Image.Resampling.BICUBIC
        )
        total = Image.blend(total, layer, weight / (weight_sum + weight))
        weight_sum += weight
    return ImageOps.autocontrast(total, cutoff=1)


def across_view_fade(size: tuple[int, int]) -> Image.Image:
    """255 along the middle column, falling to 0 at the left and right edges."""
    row = Image.new("L", (256, 1))
    row.putdata([255 - abs(2 * i - 255) for i in range(256)])
    return row.resize(size, Image.Resampling.BILINEAR)


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


class Scene:
    """One illustration being drawn at supersampled size."""

    def __init__(self, seed: int, camera: Camera) -> None:
        self.rng = random.Random(seed)
        self.cam = camera
        self.size = (camera.width, camera.height)
        self.image = Image.new("RGB", self.size, SKY_HORIZON)
        self.draw = ImageDraw.Draw(self.image)

    # --- landscape ---------------------------------------------------------------------

    def sky(self) -> None:
        horizon = max(int(self.cam.horizon), 1)
        band = gradient((self.size[0], horizon), SKY_TOP, SKY_HORIZON)
        self.image.paste(band, (0, 0))

    def ridges(self, layers: Sequence[tuple[float, float, Color]]) -> None:
        """Distant hills: (height in px at this size, roughness, colour), far to near."""
        width = self.size[0]
        for peak, roughness, color in layers:
            profile = value_noise(
                self.rng, (width, 1), [(5, 1.0), (17, roughness), (60, roughness / 3)]
            )
            points: list[Point] = [(0, self.cam.horizon + 4)]
            for x in range(0, width, 4):
                value = profile.getpixel((x, 0))
                level = float(value) if isinstance(value, (int, float)) else 0.0
                points.append((x, self.cam.horizon - peak * level / 255))
            points.append((width, self.cam.horizon + 4))
            self.draw.polygon(points, fill=color)

    def landscape(self, ridges: Sequence[tuple[float, float, Color]], haze_depth: float) -> None:
        """Sky, distant ridges, textured ground and dust haze: every scene's backdrop."""
        self.sky()
        self.ridges(ridges)
        self.ground()
        self.haze(0.7, haze_depth)

    def ground(self, reach: float = 400.0) -> None:
        """Texture the ground plane below the horizon through a perspective transform."""
        cam = self.cam
        coarse = value_noise(self.rng, (2048, 2048), [(6, 1.0), (24, 0.7), (90, 0.35)])
        coarse = coarse.point(lambda v: 128 + (v - 128) * 6 // 10)
        coarse_rgb = ImageOps.colorize(coarse, SOIL_DARK, SOIL_LIGHT, mid=SOIL_MID)
        plane = self._to_screen(coarse_rgb, reach, fill=HAZE)
        # Fine grit only matters close by: fade it out with depth and towards the sides,
        # so the texture has no edge anywhere in the picture.
        fine = value_noise(self.rng, (1536, 1536), [(60, 1.0), (220, 0.8), (600, 0.6)])
        fade = ImageChops.multiply(
            ImageOps.invert(Image.linear_gradient("L").resize(fine.size)),
            across_view_fade(fine.size),
        )
        fine = Image.composite(
            fine.point(lambda v: 128 + (v - 128) // 2), Image.new("L", fine.size, 128), fade
        )
        fine_screen = self._to_screen(fine, 30.0, fill=128).filter(ImageFilter.GaussianBlur(0.6))
        plane = ImageChops.overlay(plane, Image.merge("RGB", [fine_screen] * 3))
        mask = Image.new("L", self.size, 0)
        ImageDraw.Draw(mask).rectangle([0, cam.horizon, self.size[0], self.size[1]], fill=255)
        self.image.paste(plane, (0, 0), mask)

    def _to_screen(self, texture: Image.Image, reach: float, fill: Color | int) -> Image.Image:
        """Map a square texture covering `reach` metres of ground onto the canvas."""
        cam = self.cam
        texels = texture.size[0]
        s = texels / reach  # texels per metre
        yh, cx, h, f = cam.horizon, cam.width / 2, cam.eye_height, cam.focal
        u0, v0 = texels / 2, 0.0
        coeffs = (
            s * h / -yh,
            u0 / -yh,
            (-u0 * yh - s * h * cx) / -yh,
            0.0,
            v0 / -yh,
            (s * f * h - v0 * yh) / -yh,
            0.0,
            -1 / yh,
        )
        return texture.transform(
            self.size,
            Image.Transform.PERSPECTIVE,
            coeffs,
            Image.Resampling.BILINEAR,
            fillcolor=fill,
        )

    def haze(self, strength: float = 0.75, depth: float = 0.22) -> None:
        """Dust in the air: the ground fades to the sky's colour towards the horizon."""
        width, height = self.size
        rows = max(int(height * depth), 2)
        fade = (
            Image.linear_gradient("L")
            .resize((width, rows))
            .point(lambda v: int((255 - v) * strength))
        )
        mask = Image.new("L", self.size, 0)
        mask.paste(fade, (0, int(self.cam.horizon) - 2))
        above = Image.new(
            "L", (width, max(int(self.cam.horizon) - 2, 1)), int(255 * strength * 0.35)
        )
        mask.paste(above, (0, 0))
        self.image.paste(Image.new("RGB", self.size, HAZE), (0, 0), mask)

    def rocks(
        self,
        count: int,
        near: float,
        far: float,
        big: float = 0.5,
        keep: Callable[[float, float], bool] | None = None,
    ) -> None:
        """Scatter rocks in world space, drawn far to near with shadows away from the sun."""
        cam = self.cam
        rocks = []
        for _ in range(count):
            z = math.sqrt(self.rng.uniform(near * near, far * far))  # even density over area
            half_width = (cam.width / 2) / cam.focal * z * 1.1
            x = self.rng.uniform(-half_width, half_width)
            radius = min(0.02 + self.rng.paretovariate(2.2) * 0.04 - 0.04, big)
            if keep is None or keep(x, z):
                rocks.append((z, x, max(radius, 0.015)))
        for z, x, radius in sorted(rocks, reverse=True):
            self.rock(x, z, radius)

    def rock(self, x: float, z: float, radius: float) -> None:
        cam = self.cam
        sx, sy = cam.project(x, 0.0, z)
        r = radius * cam.scale(z)
        if r < 0.8 or sy > self.size[1] + r or sy < cam.horizon:
            return
        fog = min(1.0, (z / 160) ** 0.8)
        height = r * self.rng.uniform(0.45, 0.8)
        shadow = mix((70, 40, 26), HAZE, fog * 0.9)
        self.draw.ellipse(
            [sx - r * 0.2, sy - height * 0.25, sx + r * 1.9, sy + height * 0.22], fill=shadow
        )
        outline = self._blob(sx, sy - height * 0.45, r, height * 0.6, flat_bottom=sy)
        base = mix(mix(ROCK_DARK, ROCK_LIGHT, self.rng.uniform(0.1, 0.55)), HAZE, fog)
        self.draw.polygon(outline, fill=base)
        lit = [(px - r * 0.12, py - height * 0.1) for px, py in self._shrink(outline, 0.62)]
        self.draw.polygon(lit, fill=mix(shade(base, 1.35), HAZE, fog * 0.5))

    def _blob(self, cx: float, cy: float, rx: float, ry: float, flat_bottom: float) -> list[Point]:
        points = []
        steps = self.rng.randint(9, 14)
        for i in range(steps):
            angle = 2 * math.pi * i / steps
            wobble = self.rng.uniform(0.75, 1.18)
            px, py = cx + math.cos(angle) * rx * wobble, cy + math.sin(angle) * ry * wobble
            points.append((px, min(py, flat_bottom)))
        return points

    @staticmethod
    def _shrink(points: Sequence[Point], factor: float) -> list[Point]:
        mx = sum(p[0] for p in points) / len(points)
        my = sum(p[1] for p in points) / len(points)
        return [(mx + (px - mx) * factor, my + (py - my) * factor) for px, py in points]

    def tracks(
        self, x_left: float, x_right: float, z_from: float, z_to: float, width: float = 0.22
    ) -> None:
        """Two wheel tracks pressed into the dust, with tread marks."""
        cam = self.cam
        for x in (x_left, x_right):
            quad = [
                cam.project(x - width / 2, 0, z_from),
                cam.project(x + width / 2, 0, z_from),
                cam.project(x + width / 2, 0, z_to),
                cam.project(x - width / 2, 0, z_to),
            ]
            self.draw.polygon(quad, fill=(132, 78, 44))
            z = z_from
            while z < z_to:
                a = cam.project(x - width / 2, 0, z)
                b = cam.project(x + width / 2, 0, z)
                self.draw.line([a, b], fill=(104, 60, 34), width=max(1, int(cam.scale(z) * 0.03)))
                z += 0.12

    # --- finishing ---------------------------------------------------------------------

    def finish(self, label: str) -> Image.Image:
        image = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        grain = value_noise(self.rng, (WIDTH, HEIGHT), [(WIDTH // 2, 1.0)])
        grain_rgb = Image.merge("RGB", [grain.point(lambda v: 128 + (v - 128) // 10)] * 3)
        image = ImageChops.overlay(image, grain_rgb)
        vignette = (
            Image.radial_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: 255 - int(v * 0.35))
        )
        image = ImageChops.multiply(image, Image.merge("RGB", [vignette] * 3))
        return stamp_label(image, label)


def stamp_label(image: Image.Image, label: str) -> Image.Image:
    """Mark the picture itself as an illustration, so no copy of it can pass for a photo."""
    font = ImageFont.load_default(size=26)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    pad = 14
    box = (
        image.width - (right - left) - 3 * pad,
        image.height - (bottom - top) - 3 * pad,
        image.width - pad,
        image.height - pad,
    )
    draw.rounded_rectangle(box, radius=8, fill=(20, 14, 10, 170))
    draw.text((box[0] + pad, box[1] + pad - top), label, font=font, fill=(255, 244, 230, 255))
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


# --- hardware, drawn in a side view: u metres forward, v metres up from the ground ------


class Side:
    """Maps a side view in metres onto the canvas at a given place and scale."""

    def __init__(
        self, draw: ImageDraw.ImageDraw, origin: Point, scale: float, facing: int = 1
    ) -> None:
        self.draw, self.origin, self.s, self.facing = draw, origin, scale, facing

    def p(self, u: float, v: float) -> Point:
        return (self.origin[0] + self.facing * u * self.s, self.origin[1] - v * self.s)

    def poly(self, points: Sequence[Point], fill: Color, outline: Color | None = None) -> None:
        self.draw.polygon([self.p(u, v) for u, v in points], fill=fill, outline=outline)

    def rect(self, u0: float, v0: float, u1: float, v1: float, fill: Color) -> None:
        self.poly([(u0, v0), (u1, v0), (u1, v1), (u0, v1)], fill)

    def line(self, points: Sequence[Point], fill: Color, width: float) -> None:
        self.draw.line(
            [self.p(u, v) for u, v in points], fill=fill, width=max(1, round(width * self.s))
        )

    def disc(self, u: float, v: float, r: float, fill: Color) -> None:
        x, y = self.p(u, v)
        self.draw.ellipse(
            [x - r * self.s, y - r * self.s, x + r * self.s, y + r * self.s], fill=fill
        )


def draw_flag(draw: ImageDraw.ImageDraw, x: float, y: float, w: float) -> None:
    """A small Chinese national flag with its top-left corner at (x, y)."""
    h = w * 2 / 3
    draw.rectangle([x, y, x + w, y + h], fill=FLAG_RED)
    draw_star(draw, x + w * 0.17, y + h * 0.27, w * 0.1)
    for dx, dy in ((0.33, 0.1), (0.4, 0.2), (0.4, 0.35), (0.33, 0.45)):
        draw_star(draw, x + w * dx, y + h * dy, w * 0.035)


def draw_star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=FLAG_YELLOW)


def draw_wheel(side: Side, u: float, far: bool) -> None:
    r = 0.16
    tyre = (52, 50, 50) if far else (78, 76, 74)
    side.disc(u, r, r, tyre)
    side.disc(u, r, r * 0.55, (150, 148, 142) if not far else (96, 94, 90))
    side.disc(u, r, r * 0.18, (60, 58, 56))


def draw_rover(side: Side) -> None:
    """Zhurong in side view: six wheels, a boxy body, blue wings and a camera mast."""
    dark = (58, 56, 58)
    for u in (-0.82, 0.05, 0.92):
        draw_wheel(
            Side(
                side.draw,
                (side.origin[0] + side.facing * 0.1 * side.s, side.origin[1] - 0.06 * side.s),
                side.s,
                side.facing,
            ),
            u,
            far=True,
        )
    side.line([(-0.82, 0.16), (-0.4, 0.5), (0.05, 0.16)], dark, 0.05)
    side.line([(0.05, 0.16), (0.5, 0.48), (0.92, 0.16)], dark, 0.05)
    # rear wings raised like a butterfly's, then the body in front of them
    side.poly([(-0.2, 0.98), (-1.35, 1.55), (-1.6, 1.38), (-0.55, 0.9)], PANEL_BLUE)
    side.poly([(0.1, 0.98), (-0.75, 1.72), (-1.0, 1.62), (-0.25, 0.94)], shade(PANEL_BLUE, 1.15))
    side.line([(-0.35, 1.12), (-1.45, 1.5)], PANEL_LINE, 0.012)
    side.line([(-0.1, 1.15), (-0.85, 1.62)], PANEL_LINE, 0.012)
    side.poly([(-1.05, 0.52), (1.05, 0.52), (1.1, 0.98), (-1.0, 0.98)], WHITE_BODY)
    side.poly([(-1.0, 0.98), (1.1, 0.98), (1.0, 1.06), (-1.08, 1.06)], shade(WHITE_BODY, 1.08))
    side.rect(-1.05, 0.52, 1.05, 0.6, FOIL_GOLD)
    side.rect(-0.2, 0.62, 0.7, 0.9, shade(WHITE_BODY, 0.85))
    side.poly([(0.3, 1.06), (1.05, 1.06), (1.3, 1.2), (0.45, 1.2)], PANEL_BLUE)
    x, y = side.p(-0.9 if side.facing > 0 else -0.6, 0.86)
    draw_flag(side.draw, x, y, 0.3 * side.s)
    # mast and camera head
    side.rect(0.78, 1.06, 0.86, 1.7, (170, 168, 162))
    side.poly([(0.6, 1.68), (1.02, 1.68), (1.02, 1.85), (0.6, 1.85)], (208, 206, 200))
    side.disc(0.95, 1.765, 0.045, (30, 30, 36))
    side.rect(-0.55, 1.06, -0.52, 1.45, (150, 150, 150))
    side.disc(-0.535, 1.46, 0.05, (200, 198, 190))
    for u in (-0.82, 0.05, 0.92):
        draw_wheel(side, u, far=False)
    side.line([(-0.82, 0.16), (-0.4, 0.55), (0.05, 0.16)], dark, 0.06)
    side.line([(0.05, 0.16), (0.5, 0.52), (0.92, 0.16)], dark, 0.06)


def draw_lander(side: Side, with_ramp: bool = True) -> None:
    """The landing platform in side view: legs, a gold-wrapped body, tanks, ramps."""
    leg = (180, 178, 170)
    for u in (-1.9, 1.9):
        side.line([(u * 0.55, 0.9), (u, 0.06)], leg, 0.09)
        side.poly(
            [(u - 0.28, 0.0), (u + 0.28, 0.0), (u + 0.2, 0.1), (u - 0.2, 0.1)], (150, 148, 140)
        )
    side.poly([(-0.35, 0.55), (0.35, 0.55), (0.5, 0.25), (-0.5, 0.25)], (60, 58, 60))
    side.poly([(-1.45, 0.7), (1.45, 0.7), (1.55, 1.35), (-1.55, 1.35)], FOIL_GOLD)
    for i in range(9):
        u = -1.45 + i * 0.36
        side.line([(u, 0.72), (u + 0.05, 1.33)], shade(FOIL_GOLD, 0.85), 0.02)
    side.poly([(-1.55, 1.35), (1.55, 1.35), (1.4, 1.48), (-1.4, 1.48)], WHITE_BODY)
    side.disc(-0.6, 1.62, 0.22, (190, 188, 184))
    side.disc(0.3, 1.6, 0.18, (176, 174, 170))
    side.rect(-0.15, 0.82, 0.95, 1.25, WHITE_BODY)
    x, y = side.p(-0.05 if side.facing > 0 else 0.85, 1.2)
    draw_flag(side.draw, x, y, 0.5 * side.s)
    if with_ramp:
        side.poly([(1.5, 1.42), (3.4, 0.0), (3.6, 0.0), (1.6, 1.46)], (200, 198, 192))
        side.poly([(1.45, 1.36), (3.2, 0.0), (3.35, 0.0), (1.5, 1.4)], (150, 148, 142))


def draw_mascot_outlines(
    draw: ImageDraw.ImageDraw, x: float, y: float, size: float, color: Color
) -> None:
    """Line drawings after the 2022 Winter Olympics and Paralympics mascots."""
    w = max(2, round(size * 0.035))
    # a round panda in a suit of ice, with ears, eyes and a heart on its palm
    draw.ellipse([x, y + size * 0.18, x + size * 0.62, y + size], outline=color, width=w)
    draw.ellipse(
        [x + size * 0.04, y + size * 0.08, x + size * 0.2, y + size * 0.26], outline=color, width=w
    )
    draw.ellipse(
        [x + size * 0.42, y + size * 0.08, x + size * 0.58, y + size * 0.26], outline=color, width=w
    )
    draw.ellipse(
        [x + size * 0.12, y + size * 0.32, x + size * 0.27, y + size * 0.46], outline=color, width=w
    )
    draw.ellipse(
        [x + size * 0.35, y + size * 0.32, x + size * 0.5, y + size * 0.46], outline=color, width=w
    )
    draw.arc(
        [x + size * 0.2, y + size * 0.48, x + size * 0.42, y + size * 0.6],
        20,
        160,
        fill=color,
        width=w,
    )
    # a lantern-shaped child with a round face and a ruyi knot on top
    lx = x + size * 0.78
    draw.rounded_rectangle(
        [lx, y + size * 0.22, lx + size * 0.55, y + size * 0.95],
        radius=size * 0.18,
        outline=color,
        width=w,
    )
    draw.ellipse(
        [lx + size * 0.12, y + size * 0.36, lx + size * 0.43, y + size * 0.66],
        outline=color,
        width=w,
    )
    draw.arc(
        [lx + size * 0.12, y + size * 0.02, lx + size * 0.43, y + size * 0.28],
        180,
        360,
        fill=color,
        width=w,
    )
    draw.line(
        [(lx + size * 0.275, y + size * 0.02), (lx + size * 0.275, y + size * 0.22)],
        fill=color,
        width=w,
    )


# --- the four scenes ----------------------------------------------------------------------


def canvas_camera(horizon: float, focal: float, eye: float) -> Camera:
    w, h = WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE
    return Camera(w, h, horizon * h, focal * w, eye)


def scene_portrait() -> Image.Image:
    """A remote camera about 10 m away: the rover beside its landing platform."""
    scene = Scene(11, canvas_camera(horizon=0.47, focal=0.95, eye=0.55))
    cam = scene.cam
    scene.landscape(
        [(cam.height * 0.05, 0.6, (196, 150, 112)), (cam.height * 0.028, 0.8, (176, 122, 84))],
        haze_depth=0.12,
    )

    def clear(x: float, z: float) -> bool:
        return not (5.0 < z < 14 and -5.0 < x < 5.5)

    scene.rocks(3400, 1.2, 140, keep=clear)
    scene.tracks(-2.3, -1.5, 5.5, 10.5)
    lander_z, rover_z = 11.5, 9.0
    draw_lander(Side(scene.draw, cam.project(1.6, 0, lander_z), cam.scale(lander_z), facing=-1))
    draw_rover(Side(scene.draw, cam.project(-2.2, 0, rover_z), cam.scale(rover_z), facing=1))
    scene.rocks(90, 1.6, 5.0, big=0.22)
    return scene.finish("Illustration · stands in for a CNSA photograph")


def scene_platform() -> Image.Image:
    """From the rover: the platform with its flag and the mascot outlines."""
    scene = Scene(22, canvas_camera(horizon=0.3, focal=0.85, eye=1.8))
    cam = scene.cam
    scene.landscape([(cam.height * 0.04, 0.6, (196, 150, 112))], haze_depth=0.1)
    scene.rocks(2600, 1.6, 120, keep=lambda x, z: not (3.2 < z < 8.0 and -3.6 < x < 3.4))
    z, x0 = 5.6, -0.5
    scene.tracks(1.2, 1.9, 1.2, 3.6)
    side = Side(scene.draw, cam.project(x0, 0, z), cam.scale(z), facing=1)
    draw_lander(side, with_ramp=False)
    # a white panel with the mascots' outlines beside the flag
    px, py = side.p(-1.35, 1.3)
    scene.draw.rectangle([px, py, px + 1.1 * side.s, py + 0.5 * side.s], fill=WHITE_BODY)
    draw_mascot_outlines(
        scene.draw, px + 0.12 * side.s, py + 0.05 * side.s, 0.42 * side.s, (84, 76, 68)
    )
    # the ramp the rover came down, sloping towards the camera on the right
    ramp = [
        (x0 + 1.0, 1.3, z - 0.4),
        (x0 + 1.9, 1.3, z - 0.4),
        (x0 + 2.5, 0.0, 3.6),
        (x0 + 1.6, 0.0, 3.6),
    ]
    scene.draw.polygon([cam.project(*p) for p in ramp], fill=(196, 192, 184))
    for t in (0.25, 0.5, 0.75):
        near = (x0 + 1.0 + 0.6 * t, 1.3 * (1 - t), z - 0.4 - (z - 4.0) * t)
        far = (near[0] + 0.9, near[1], near[2])
        scene.draw.line([cam.project(*near), cam.project(*far)], fill=(150, 146, 138), width=5)
    scene.rocks(80, 1.2, 3.0, big=0.12, keep=lambda x, z: not (1.0 < x < 2.1))
    return scene.finish("Illustration · stands in for a CNSA photograph")


def scene_upper_stage() -> Image.Image:
    """Looking back along the rover's top: wings, deck, antenna, and Mars beyond."""
    scene = Scene(33, canvas_camera(horizon=0.26, focal=0.8, eye=1.75))
    cam = scene.cam
    scene.landscape([(cam.height * 0.035, 0.7, (192, 146, 108))], haze_depth=0.08)
    scene.rocks(2200, 3.5, 120)
    deck_y, near_z, far_z = 1.05, 0.7, 2.8

    def quad(points: Sequence[tuple[float, float, float]], fill: Color) -> None:
        scene.draw.polygon([cam.project(*p) for p in points], fill=fill)

    def line(
        a: tuple[float, float, float], b: tuple[float, float, float], fill: Color, width: int
    ) -> None:
        scene.draw.line([cam.project(*a), cam.project(*b)], fill=fill, width=width)

    quad(
        [
            (-0.6, deck_y - 0.4, far_z),
            (0.6, deck_y - 0.4, far_z),
            (0.6, deck_y, far_z),
            (-0.6, deck_y, far_z),
        ],
        FOIL_GOLD,
    )
    # wings spread to both sides, raised a little at their tips, with their cell grid
    for sign in (-1, 1):
        inner, outer = sign * 0.62, sign * 2.4
        quad(
            [
                (inner, deck_y, near_z),
                (outer, deck_y + 0.3, near_z + 0.2),
                (outer, deck_y + 0.3, far_z + 0.4),
                (inner, deck_y, far_z),
            ],
            PANEL_BLUE,
        )
        for k in range(1, 10):
            t = k / 10
            line(
                (inner + (outer - inner) * t, deck_y + 0.3 * t, near_z + 0.2 * t),
                (inner + (outer - inner) * t, deck_y + 0.3 * t, far_z + 0.4 * t),
                PANEL_LINE,
                4,
            )
        for k in range(1, 8):
            t = k / 8
            line(
                (inner, deck_y, near_z + (far_z - near_z) * t),
                (outer, deck_y + 0.3, near_z + 0.2 + (far_z + 0.2 - near_z) * t),
                PANEL_LINE,
                4,
            )
    quad(
        [
            (-0.6, deck_y, near_z),
            (0.6, deck_y, near_z),
            (0.6, deck_y, far_z),
            (-0.6, deck_y, far_z),
        ],
        WHITE_BODY,
    )
    for k in range(1, 6):
        zk = near_z + (far_z - near_z) * k / 6
        line((-0.6, deck_y, zk), (0.6, deck_y, zk), shade(WHITE_BODY, 0.86), 4)
    quad(
        [(-0.45, deck_y, 1.9), (-0.05, deck_y, 1.9), (-0.05, deck_y, 2.5), (-0.45, deck_y, 2.5)],
        (92, 92, 96),
    )
    fx, fy = cam.project(0.12, deck_y, 1.55)
    draw_flag(scene.draw, fx, fy, cam.scale(1.55) * 0.3)
    base, top = cam.project(0.3, deck_y, 2.3), cam.project(0.3, deck_y + 0.35, 2.3)
    scene.draw.line([base, top], fill=(170, 168, 162), width=12)
    r = cam.scale(2.3) * 0.16
    scene.draw.ellipse(
        [top[0] - r, top[1] - r * 0.4, top[0] + r, top[1] + r * 0.4], fill=(226, 224, 216)
    )
    return scene.finish("Illustration · stands in for a CNSA photograph")


def scene_first_view() -> Image.Image:
    """From the platform's deck before the drive: the rails, the ramps, the ground ahead."""
    scene = Scene(44, canvas_camera(horizon=0.4, focal=0.62, eye=1.45 + 0.9))
    cam = scene.cam
    scene.landscape(
        [(cam.height * 0.06, 0.6, (198, 154, 116)), (cam.height * 0.03, 0.8, (178, 124, 86))],
        haze_depth=0.1,
    )
    scene.rocks(3400, 2.5, 160, keep=lambda x, z: not (abs(x) < 1.8 and z < 6.6))
    deck, edge_z, foot_z = 1.45, 2.2, 6.2
    w, h = scene.size
    edge_y = cam.project(0, deck, edge_z)[1]
    # the deck: gold foil across the bottom of the frame, a white rim at its front edge
    scene.draw.rectangle([0, edge_y, w, h], fill=shade(FOIL_GOLD, 0.92))
    for i in range(-6, 7):
        scene.draw.line(
            [cam.project(i * 0.5, deck, edge_z), cam.project(i * 0.5, deck, 0.4)],
            fill=shade(FOIL_GOLD, 0.8),
            width=8,
        )
    scene.draw.rectangle([0, edge_y - 8, w, edge_y + 12], fill=WHITE_BODY)
    for x in (-0.85, 0.55):
        on_deck = [(x, deck, 0.5), (x + 0.3, deck, 0.5), (x + 0.3, deck, edge_z), (x, deck, edge_z)]
        ramp = [
            (x, deck, edge_z),
            (x + 0.3, deck, edge_z),
            (x + 0.3, 0.0, foot_z),
            (x, 0.0, foot_z),
        ]
        scene.draw.polygon([cam.project(*p) for p in on_deck], fill=(204, 200, 192))
        scene.draw.polygon([cam.project(*p) for p in ramp], fill=(184, 180, 172))
        for k in range(1, 12):
            zk = 0.5 + (edge_z - 0.5) * k / 12
            scene.draw.line(
                [cam.project(x, deck, zk), cam.project(x + 0.3, deck, zk)],
                fill=(150, 146, 138),
                width=4,
            )
    return scene.finish("Illustration · stands in for a CNSA photograph")


SCENES: dict[str, Callable[[], Image.Image]] = {
    "zhurong-1-portrait.jpg": scene_portrait,
    "zhurong-2-platform.jpg": scene_platform,
    "zhurong-3-upper-stage.jpg": scene_upper_stage,
    "zhurong-4-first-view.jpg": scene_first_view,
}


def encode(image: Image.Image, caption: str, credit: str, copyright_line: str) -> bytes:
    """JPEG bytes with EXIF and IPTC that say what the picture is and who made it."""
    exif = Image.Exif()
    exif[0x010E] = caption  # ImageDescription
    exif[0x013B] = "Photo Desk (illustration)"  # Artist
    exif[0x8298] = copyright_line  # Copyright
    exif[0x0132] = RENDERED_ON  # DateTime
    exif[0x0131] = "Photo Desk render_zhurong.py"  # Software
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, optimize=True, exif=exif.tobytes())
    block = iptc.build_iim(
        [(iptc.CAPTION, caption), (iptc.CREDIT, credit), (iptc.BYLINE, "Photo Desk (illustration)")]
    )
    return iptc.insert_jpeg_segment(buffer.getvalue(), iptc.build_app13(block))


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} GALLERY_FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    manifest = json.loads((folder / "gallery.json").read_text(encoding="utf-8"))
    texts = {photo["file"]: photo for photo in manifest["photos"]}
    for name, render in SCENES.items():
        photo = texts[name]
        data = encode(
            render(),
            photo["caption"],
            photo["credit"],
            "Illustration: Photo Desk developers, MIT licence",
        )
        (folder / name).write_bytes(data)
        print(f"wrote {folder / name} ({len(data) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
