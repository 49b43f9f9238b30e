#!/usr/bin/env python3
"""Renders a terminal screen captured as ANSI text (e.g. `tmux capture-pane -p -e`) to a PNG.

Usage: ansi_to_png.py INPUT.ansi OUTPUT.png [--cols N] [--rows N] [--cursor X,Y] [--size PX]
                      [--font PATH] [--bold-font PATH] [--fallback-font PATH] [--fallback-bold-font PATH]

Understands SGR: reset, bold, dim, italic, underline, reverse, strikethrough and their
resets; 16-colour (30-37, 90-97, 40-47, 100-107), 256-colour (38;5;N / 48;5;N) and
truecolour (38;2;R;G;B) colours. Other escape sequences are skipped. Needs Pillow and a
monospace TTF: DejaVu Sans Mono by default, with DejaVu Sans for the glyphs it lacks (such as
the braille patterns of spinners), both in the Debian package fonts-dejavu-core.
"""
import argparse
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
BACKGROUND = (0x1E, 0x1E, 0x1E)
FOREGROUND = (0xD4, 0xD4, 0xD4)
CURSOR = (0xD4, 0xD4, 0xD4)
PADDING = 12
# A dark theme's 16 colours (close to VS Code's terminal).
PALETTE16 = [
    (0x00, 0x00, 0x00), (0xCD, 0x31, 0x31), (0x0D, 0xBC, 0x79), (0xE5, 0xE5, 0x10),
    (0x24, 0x72, 0xC8), (0xBC, 0x3F, 0xBC), (0x11, 0xA8, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x66, 0x66, 0x66), (0xF1, 0x4C, 0x4C), (0x23, 0xD1, 0x8B), (0xF5, 0xF5, 0x43),
    (0x3B, 0x8E, 0xEA), (0xD6, 0x70, 0xD6), (0x29, 0xB8, 0xDB), (0xFF, 0xFF, 0xFF),
]


def xterm256(n):
    """The RGB of colour n of the xterm 256-colour palette."""
    if n < 16:
        return PALETTE16[n]
    if n < 232:  # 6x6x6 cube
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[n // 6 % 6], steps[n % 6]
    grey = 8 + (n - 232) * 10  # 24 greys
    return grey, grey, grey


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None = default colour
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = self.strike = False

    def copy(self):
        other = Style()
        other.__dict__.update(self.__dict__)
        return other

    def apply(self, params):
        """Applies the parameters of one SGR sequence (ESC [ ... m)."""
        codes = []
        for param in (params or "0").split(";"):
            sub = [int(v) if v else 0 for v in param.split(":")]
            if sub[0] in (38, 48) and len(sub) > 1:  # 38:5:N, 38:2:R:G:B or 38:2::R:G:B
                codes += sub[:2] + sub[-3:] if sub[1] == 2 else sub
            elif sub[0] == 4 and len(sub) > 1:  # 4:0 no underline, 4:1..5 underline styles
                codes.append(24 if sub[1] == 0 else 4)
            else:
                codes.append(sub[0])
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 9:
                self.strike = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif c == 29:
                self.strike = False
            elif 30 <= c <= 37:
                self.fg = PALETTE16[c - 30]
            elif 40 <= c <= 47:
                self.bg = PALETTE16[c - 40]
            elif 90 <= c <= 97:
                self.fg = PALETTE16[c - 90 + 8]
            elif 100 <= c <= 107:
                self.bg = PALETTE16[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48):
                mode = codes[i + 1] if i + 1 < len(codes) else None
                colour = None
                if mode == 5 and i + 2 < len(codes):
                    colour = xterm256(codes[i + 2])
                    i += 2
                elif mode == 2 and i + 4 < len(codes):
                    colour = tuple(codes[i + 2:i + 5])
                    i += 4
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def colours(self):
        """The (foreground, background) RGB to paint with."""
        fg = self.fg or FOREGROUND
        bg = self.bg or BACKGROUND
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:  # halfway to the background
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        return fg, bg


# CSI sequences, OSC sequences (ended by BEL or ST), other two-byte escapes, and text.
TOKEN = re.compile(r"\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|([^\x1b]+)")


def parse(text, cols, rows):
    """Returns the screen as rows of [char, Style] cells; a wide char's second cell is None."""
    blank = Style()
    screen = [[[" ", blank] for _ in range(cols)] for _ in range(rows)]
    style = Style()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for m in TOKEN.finditer(line):
            if m.group(2) == "m":
                style.apply(m.group(1))
            elif m.group(3):
                for ch in m.group(3):
                    if ch == "\r" or unicodedata.combining(ch):
                        continue
                    width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
                    if x + width > cols:
                        break
                    screen[y][x] = [ch, style.copy()]
                    if width == 2:
                        screen[y][x + 1] = [None, style.copy()]
                    x += width
    return screen


class Fonts:
    """The monospace font and its bold, with fallbacks for the glyphs they lack."""

    def __init__(self, size, regular, bold, fallback, fallback_bold):
        load = lambda path: ImageFont.truetype(path, size)
        self.fonts = {False: (load(regular), load(fallback)), True: (load(bold), load(fallback_bold))}
        self.cache = {}

    @staticmethod
    def has_glyph(font, ch):
        # FreeType draws a missing glyph as .notdef; a private-use code point shows that.
        return bytes(font.getmask(ch)) != bytes(font.getmask("\U0010FFFD"))

    def pick(self, ch, bold):
        """The font to draw ch with, and its x offset to centre it in a cell of the main font."""
        if (ch, bold) not in self.cache:
            main, fallback = self.fonts[bold]
            if ch.isascii() or self.has_glyph(main, ch) or not self.has_glyph(fallback, ch):
                self.cache[ch, bold] = main, 0
            else:
                offset = (main.getlength("M") - fallback.getlength(ch)) / 2
                self.cache[ch, bold] = fallback, round(offset)
        return self.cache[ch, bold]


def render(screen, fonts, cursor=None):
    font = fonts.fonts[False][0]
    ascent, descent = font.getmetrics()
    cell_w = round(font.getlength("M"))
    cell_h = ascent + descent + 2
    rows, cols = len(screen), len(screen[0])
    image = Image.new("RGB", (cols * cell_w + 2 * PADDING, rows * cell_h + 2 * PADDING), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(screen):
        top = PADDING + y * cell_h
        for x, (ch, style) in enumerate(row):
            if ch is None:
                continue
            left = PADDING + x * cell_w
            width = cell_w * (2 if x + 1 < cols and row[x + 1][0] is None else 1)
            fg, bg = style.colours()
            if cursor == (x, y):
                fg, bg = bg, CURSOR
            if bg != BACKGROUND:
                draw.rectangle([left, top, left + width - 1, top + cell_h - 1], fill=bg)
            if ch != " ":
                glyph_font, offset = fonts.pick(ch, style.bold)
                draw.text((left + offset, top + 1), ch, font=glyph_font, fill=fg)
            if style.underline:
                draw.line([left, top + 1 + ascent + 2, left + width - 1, top + 1 + ascent + 2], fill=fg)
            if style.strike:
                middle = top + 1 + ascent * 2 // 3
                draw.line([left, middle, left + width - 1, middle], fill=fg)
    return image


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="ANSI text, '-' for standard input")
    ap.add_argument("output", help="PNG file to write")
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--rows", type=int, default=28)
    ap.add_argument("--cursor", help="X,Y (0-based) of a block cursor to draw")
    ap.add_argument("--font", default=FONT_DIR + "DejaVuSansMono.ttf")
    ap.add_argument("--bold-font", default=FONT_DIR + "DejaVuSansMono-Bold.ttf")
    ap.add_argument("--fallback-font", default=FONT_DIR + "DejaVuSans.ttf")
    ap.add_argument("--fallback-bold-font", default=FONT_DIR + "DejaVuSans-Bold.ttf")
    ap.add_argument("--size", type=int, default=15, help="font size in pixels")
    args = ap.parse_args()

    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    with source:
        text = source.read()
    cursor = tuple(int(v) for v in args.cursor.split(",")) if args.cursor else None
    fonts = Fonts(args.size, args.font, args.bold_font, args.fallback_font, args.fallback_bold_font)
    image = render(parse(text, args.cols, args.rows), fonts, cursor)
    image.save(args.output, optimize=True)


if __name__ == "__main__":
    main()
