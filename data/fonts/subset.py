"""Make the fonts the notice letters embed, from Debian's Noto fonts (SIL Open Font License).

    apt-get install fonts-noto-core fonts-noto-cjk
    python data/fonts/subset.py

Noto Sans is cut to Latin, Cyrillic and punctuation; Noto Naskh Arabic is copied whole (its
shaping needs every contextual form); Noto Sans CJK SC (face 2 of the collection) is cut to
the characters of data/letters/zh.md plus ASCII and CJK punctuation, so the repository holds
a few hundred kilobytes instead of 40 MB. Run it again after editing zh.md: a test fails
while the Chinese subset lacks a character of the template.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
SIMPLIFIED_CHINESE = 2    # the face of NotoSansCJK-*.ttc that is Noto Sans CJK SC

LATIN = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00)]
CYRILLIC = [*range(0x400, 0x530)]
PUNCTUATION = [*range(0x2000, 0x2070), *range(0x20A0, 0x20C0), 0x2116, 0x2122, 0x25CF]
CJK_PUNCTUATION = [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)]


def cut(source: Path, target: Path, codepoints: list[int], number: int = 0) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.font_number = number
    font = TTFont(source, fontNumber=number, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(target)


def main() -> None:
    template = (HERE.parent / "letters" / "zh.md").read_text(encoding="utf-8")
    chinese = sorted({ord(c) for c in template if ord(c) > 0x7F} | set(range(0x20, 0x7F))
                     | set(CJK_PUNCTUATION))
    for weight in ("Regular", "Bold"):
        cut(NOTO / f"NotoSans-{weight}.ttf", HERE / f"NotoSans-{weight}.ttf",
            LATIN + CYRILLIC + PUNCTUATION)
        shutil.copyfile(NOTO / f"NotoNaskhArabic-{weight}.ttf",
                        HERE / f"NotoNaskhArabic-{weight}.ttf")
        cut(CJK / f"NotoSansCJK-{weight}.ttc", HERE / f"NotoSansSC-{weight}-subset.otf",
            chinese, SIMPLIFIED_CHINESE)
    for path in sorted(HERE.glob("*.[ot]tf")):
        print(f"{path.name}: {path.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
