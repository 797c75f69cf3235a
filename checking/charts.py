"""SVG geometry for the results charts, drawn on the server (no JavaScript, nothing from another host), in the
manner of moderation's transparency page: the template prints rectangles, each carrying its numbers."""

from checking.vocabulary import CONCERNS

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 52
GRID = (0, 25, 50, 75, 100)
LABELS = dict(CONCERNS)


def _n(value: float) -> str:
    """A coordinate as the SVG's text: formatted here, so the template prints strings (localizing ~600 floats
    per page in the template took most of /results/'s time: docs/supply.md, figures)."""
    return f"{value:.1f}".removesuffix(".0")


def grouped_bars(rows: list[dict]) -> dict:
    """One group of bars per row (a month, a region), one bar per concern: its share of the row's samples."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(len(rows), 1)
    bar = max(min(slot * 0.8 / len(CONCERNS), 14.0), 1.0)
    groups = []
    for index, row in enumerate(rows):
        start = LEFT + index * slot + (slot - bar * len(CONCERNS)) / 2
        bars = []
        for position, concern in enumerate(row["concerns"]):
            height = round(plot_height * concern["share"] / 100, 1)
            bars.append({**concern, "count": str(concern["count"]), "share": str(concern["share"]), "label": LABELS[concern["key"]],
                         "x": _n(start + position * bar), "y": _n(baseline - height), "width": _n(bar - 1), "height": _n(height)})
        groups.append({"key": row["key"], "label": row["label"], "short": row.get("short", row["label"]), "total": str(row["total"]),
                       "bars": bars, "label_x": _n(LEFT + index * slot + slot / 2)})
    grid = [{"value": str(value), "y": _n(baseline - plot_height * value / 100)} for value in GRID]
    return {"width": str(WIDTH), "height": str(HEIGHT), "left": str(LEFT), "tick_x": str(LEFT - 4), "right": str(WIDTH - RIGHT),
            "label_y": str(baseline + 18), "total_y": str(baseline + 36), "grid": grid, "groups": groups}
