"""A schematic tile-grid map of China's 34 provincial-level divisions, one equal tile each.

The layout is the project's own: each division sits at a (row, column) that keeps its rough
place and neighbours (north at the top, west on the left). It holds no boundaries and no
third-party map data, so reports and the console can ship it and draw it offline. Tiles are
keyed by the first two digits of the GB/T 2260 code (``500106`` lies in tile ``50``, 重庆).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    code: str  # GB/T 2260 province prefix
    zh: str  # short Chinese name, as drawn
    en: str  # English name (tooltips, tables)
    abbr: str  # ISO 3166-2:CN suffix, as drawn in English
    row: int
    col: int


TILES: tuple[Tile, ...] = (
    Tile("23", "黑龙江", "Heilongjiang", "HL", 0, 7),
    Tile("15", "内蒙古", "Inner Mongolia", "NM", 1, 4),
    Tile("11", "北京", "Beijing", "BJ", 1, 5),
    Tile("21", "辽宁", "Liaoning", "LN", 1, 6),
    Tile("22", "吉林", "Jilin", "JL", 1, 7),
    Tile("65", "新疆", "Xinjiang", "XJ", 2, 0),
    Tile("62", "甘肃", "Gansu", "GS", 2, 1),
    Tile("64", "宁夏", "Ningxia", "NX", 2, 2),
    Tile("14", "山西", "Shanxi", "SX", 2, 3),
    Tile("13", "河北", "Hebei", "HE", 2, 4),
    Tile("12", "天津", "Tianjin", "TJ", 2, 5),
    Tile("54", "西藏", "Tibet", "XZ", 3, 0),
    Tile("63", "青海", "Qinghai", "QH", 3, 1),
    Tile("61", "陕西", "Shaanxi", "SN", 3, 2),
    Tile("41", "河南", "Henan", "HA", 3, 3),
    Tile("37", "山东", "Shandong", "SD", 3, 4),
    Tile("51", "四川", "Sichuan", "SC", 4, 1),
    Tile("50", "重庆", "Chongqing", "CQ", 4, 2),
    Tile("42", "湖北", "Hubei", "HB", 4, 3),
    Tile("34", "安徽", "Anhui", "AH", 4, 4),
    Tile("32", "江苏", "Jiangsu", "JS", 4, 5),
    Tile("31", "上海", "Shanghai", "SH", 4, 6),
    Tile("53", "云南", "Yunnan", "YN", 5, 1),
    Tile("52", "贵州", "Guizhou", "GZ", 5, 2),
    Tile("43", "湖南", "Hunan", "HN", 5, 3),
    Tile("36", "江西", "Jiangxi", "JX", 5, 4),
    Tile("33", "浙江", "Zhejiang", "ZJ", 5, 5),
    Tile("45", "广西", "Guangxi", "GX", 6, 2),
    Tile("44", "广东", "Guangdong", "GD", 6, 3),
    Tile("35", "福建", "Fujian", "FJ", 6, 4),
    Tile("71", "台湾", "Taiwan", "TW", 6, 5),
    Tile("46", "海南", "Hainan", "HI", 7, 2),
    Tile("82", "澳门", "Macao", "MO", 7, 3),
    Tile("81", "香港", "Hong Kong", "HK", 7, 4),
)
BY_CODE: dict[str, Tile] = {t.code: t for t in TILES}
ROWS = 1 + max(t.row for t in TILES)
COLS = 1 + max(t.col for t in TILES)
UNKNOWN_AT = (7, 7)  # the tile of calls from public or unregistered addresses


def tile_of(admin_code: str) -> Tile | None:
    """The tile of a six-digit division code, or None for a code outside the 34 divisions."""
    return BY_CODE.get(admin_code[:2])
