"""The traffic map drawn two ways from one layout: an Apache ECharts option (HTML report, console)
and inline SVG (PDF, and HTML without the vendored library). Tiles are coloured by calls; a red
figure counts intercepts; the grey dashed tile holds public and unregistered addresses."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from medshield.reports.labels import label
from medshield.reports.tilegrid import COLS, ROWS, UNKNOWN_AT, Tile
from medshield.reports.trafficmap import Region, TrafficMap

TILE_W, TILE_H, GAP, PAD = 80, 58, 4, 8
WIDTH = PAD * 2 + COLS * (TILE_W + GAP)
HEIGHT = PAD * 2 + ROWS * (TILE_H + GAP)
EMPTY, LOW, HIGH, UNKNOWN, RED = (
    "#eef1f5",
    (0xDC, 0xE8, 0xF8),
    (0x1F, 0x5F, 0xBF),
    "#e5e5e5",
    "#c9302c",
)


def tile_colour(calls: int, top: int) -> str:
    if calls <= 0 or top <= 0:
        return EMPTY
    share = (calls / top) ** 0.5  # a square root keeps small institutions visible
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _ink(calls: int, top: int) -> str:
    return "#ffffff" if top and calls and (calls / top) ** 0.5 > 0.55 else "#222222"


def _name(tile: Tile, lang: str) -> str:
    return tile.abbr if lang == "en" else tile.zh


def _details(region: Region, lang: str) -> list[str]:
    """The tooltip lines of a tile: the division, its figures, then each institution."""
    title = region.tile.en if lang == "en" else region.tile.zh
    lines = [f"{title}: {label('map.calls', lang)} {region.calls}, "
             f"{label('map.intercepts', lang)} {region.intercepts}"]  # fmt: skip
    calls, intercepts = label("map.calls", lang), label("map.intercepts", lang)
    lines += [f"{i['name']} ({i['district']}): {calls} {i['calls']}, {intercepts} {i['intercepts']}"
              for i in region.institutions]  # fmt: skip
    return lines


def _unknown_lines(tmap: TrafficMap, lang: str) -> list[str]:
    return [f"{label('unknown', lang)}: {label('map.calls', lang)} {tmap.unknown.calls}, "
            f"{label('map.intercepts', lang)} {tmap.unknown.intercepts}"]  # fmt: skip


def _echart_label(name: str, calls: int, intercepts: int, ink: str, lang: str) -> dict[str, Any]:
    """A tile's label: its name, its calls, and its intercepts in red (on a light tile)."""
    text = f"{name}\n{calls}"
    if intercepts:
        text += f"\n{{x|{label('map.intercepts', lang)} {intercepts}}}"
    colour = RED if ink == "#222222" else ink
    return {"formatter": text, "color": ink, "align": "center",
            "rich": {"x": {"color": colour, "fontWeight": "bold", "fontSize": 10,
                           "align": "center"}}}  # fmt: skip


def map_option(
    tmap: TrafficMap, lang: str, width: int = WIDTH, height: int = HEIGHT
) -> dict[str, Any]:
    """An ECharts option drawing the tiles as square symbols on hidden axes, for a container
    of ``width`` x ``height`` pixels (the symbols are sized in pixels)."""
    size = [width / COLS - GAP, height / ROWS - GAP]
    top = tmap.top
    data: list[dict[str, Any]] = []
    for region in tmap.regions:
        t, n = region.tile, region.calls
        data.append({
            "name": t.code, "value": [t.col, t.row, n], "symbolSize": size,
            "itemStyle": {"color": tile_colour(n, top)},
            "label": _echart_label(_name(t, lang), n, region.intercepts, _ink(n, top), lang),
            "tooltip": {"formatter": "<br/>".join(escape(s) for s in _details(region, lang))},
        })  # fmt: skip
    row, col = UNKNOWN_AT
    data.append({
        "name": "unknown", "value": [col, row, tmap.unknown.calls], "symbolSize": size,
        "itemStyle": {"color": UNKNOWN, "borderColor": "#888", "borderType": "dashed",
                      "borderWidth": 1},
        "label": _echart_label(label("map.unknown", lang), tmap.unknown.calls,
                               tmap.unknown.intercepts, "#222222", lang),
        "tooltip": {"formatter": escape(_unknown_lines(tmap, lang)[0])},
    })  # fmt: skip
    axis = {"type": "value", "show": False, "splitLine": {"show": False}}
    return {
        "animation": False,
        "aria": {"enabled": True, "label": {"description": label("map.caption", lang)}},
        "tooltip": {"trigger": "item", "confine": True},
        "grid": {"left": 0, "right": 0, "top": 0, "bottom": 0},
        "xAxis": {**axis, "min": -0.5, "max": COLS - 0.5},
        "yAxis": {**axis, "min": -0.5, "max": ROWS - 0.5, "inverse": True},
        "series": [{
            "type": "scatter", "symbol": "roundRect", "data": data,
            "label": {"show": True, "position": "inside", "fontSize": 10, "lineHeight": 13},
            "emphasis": {"scale": False},
        }],
    }  # fmt: skip


def render_map_echart(tmap: TrafficMap, lang: str, element_id: str) -> str:
    option = json.dumps(map_option(tmap, lang), ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div id="{element_id}" class="echart" style="width:{WIDTH}px;height:{HEIGHT}px"></div>'
        f"<script>echarts.init(document.getElementById('{element_id}')).setOption({option});"
        f"</script>{caption(lang)}"
    )


def _svg_tile(x: int, y: int, fill: str, ink: str, lines: list[str], tip: list[str],
              dashed: bool = False, alert: str = "") -> str:  # fmt: skip
    border = ' stroke="#888" stroke-dasharray="4 3"' if dashed else ""
    out = [f'<g><title>{escape(chr(10).join(tip))}</title>'
           f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="5" fill="{fill}"{border}/>']  # fmt: skip
    cx = x + TILE_W // 2
    out.append(f'<text x="{cx}" y="{y + 18}" font-size="12" text-anchor="middle" fill="{ink}">'
               f"{escape(lines[0])}</text>")  # fmt: skip
    out.append(f'<text x="{cx}" y="{y + 35}" font-size="14" font-weight="bold" '
               f'text-anchor="middle" fill="{ink}">{escape(lines[1])}</text>')  # fmt: skip
    if alert:
        out.append(f'<text x="{cx}" y="{y + 51}" font-size="10" text-anchor="middle" '
                   f'fill="{ink if ink != "#222222" else RED}">{escape(alert)}</text>')  # fmt: skip
    out.append("</g>")
    return "".join(out)


def render_map_svg(tmap: TrafficMap, lang: str) -> str:
    top = tmap.top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" class="chart map" role="img" '
             f'aria-label="{escape(label("map.caption", lang))}">']  # fmt: skip
    intercepts = label("map.intercepts", lang)
    for region in tmap.regions:
        t, n = region.tile, region.calls
        x, y = PAD + t.col * (TILE_W + GAP), PAD + t.row * (TILE_H + GAP)
        alert = f"{intercepts} {region.intercepts}" if region.intercepts else ""
        parts.append(_svg_tile(x, y, tile_colour(n, top), _ink(n, top), [_name(t, lang), str(n)],
                               _details(region, lang), alert=alert))  # fmt: skip
    row, col = UNKNOWN_AT
    unknown = tmap.unknown
    parts.append(_svg_tile(
        PAD + col * (TILE_W + GAP), PAD + row * (TILE_H + GAP), UNKNOWN, "#222222",
        [label("map.unknown", lang), str(unknown.calls)], _unknown_lines(tmap, lang), dashed=True,
        alert=f"{intercepts} {unknown.intercepts}" if unknown.intercepts else "",
    ))  # fmt: skip
    parts.append("</svg>")
    return "".join(parts) + caption(lang)


def caption(lang: str) -> str:
    return f'<p class="meta">{escape(label("map.caption", lang))}</p>'
