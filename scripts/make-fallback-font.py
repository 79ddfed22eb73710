#!/usr/bin/env python3
"""Builds templates/fonts/NotoSerifCJKsc-Fallback.ttf: the glyphs of Noto Serif CJK SC that the primary
font (Noto Serif SC from @expo-google-fonts/noto-serif-sc) lacks — CJK Extension B and beyond, compatibility
ideographs — converted to TrueType outlines so one embedding path serves both fonts.

Run once by a maintainer (Debian: apt-get install fonts-noto-cjk python3-fonttools), never at install time:
  /usr/bin/python3 scripts/make-fallback-font.py /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
      node_modules/@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf \
      templates/fonts/NotoSerifCJKsc-Fallback.ttf
Both fonts are under the SIL Open Font License 1.1 (templates/fonts/OFL.txt).
"""
import sys
from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools.subset import Subsetter, Options
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

ttc_path, primary_path, out_path = sys.argv[1:4]
faces = TTCollection(ttc_path).fonts
names = [f['name'].getDebugName(4) for f in faces]
sc_index = names.index('Noto Serif CJK SC')
sc = TTFont(ttc_path, fontNumber=sc_index)
primary = set(TTFont(primary_path).getBestCmap())

def hangul(cp):  # Korean script: not needed for Chinese names and documents
    return 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xA960 <= cp <= 0xA97F or 0xAC00 <= cp <= 0xD7FF

wanted = sorted(cp for cp in sc.getBestCmap() if cp not in primary and not hangul(cp))
options = Options()
options.layout_features = []
options.name_IDs = ['*']
options.notdef_outline = True
options.hinting = False
subsetter = Subsetter(options)
subsetter.populate(unicodes=wanted)
subsetter.subset(sc)

glyph_order = sc.getGlyphOrder()
glyph_set = sc.getGlyphSet()
quadratic = {}
for name in glyph_order:
    pen = TTGlyphPen(glyph_set)
    glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    quadratic[name] = pen.glyph()
for table in ('CFF ', 'VORG', 'GPOS', 'GSUB', 'BASE', 'vhea', 'vmtx'):
    if table in sc:
        del sc[table]
sc['loca'] = newTable('loca')
glyf = sc['glyf'] = newTable('glyf')
glyf.glyphOrder = glyph_order
glyf.glyphs = quadratic
glyf.compile(sc)
maxp = sc['maxp'] = newTable('maxp')
maxp.tableVersion = 0x00010000
for field in ('maxZones', 'maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs',
              'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements'):
    setattr(maxp, field, 1 if field == 'maxZones' else 0)
post = sc['post']
post.formatType = 2.0
post.extraNames = []
post.mapping = {}
post.glyphOrder = glyph_order
sc['head'].indexToLocFormat = 1
sc.sfntVersion = '\x00\x01\x00\x00'
sc['name'].setName('Noto Serif CJK SC Fallback', 1, 3, 1, 0x409)
sc.save(out_path)
print(f'{out_path}: {len(wanted)} code points, {len(glyph_order)} glyphs')
