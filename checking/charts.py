"""SVG geometry for the results charts, drawn on the server (no JavaScript, nothing from another host), in the
manner of moderation's transparency page: the template prints rectangles, each carrying its numbers."""

from checking.vocabulary import CONCERNS

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 52
GRID = (0, 25, 50, 75, 100)
LABELS = dict(CONCERNS)


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
            bars.append({**concern, "label": LABELS[concern["key"]], "x": round(start + position * bar, 1),
                         "y": round(baseline - height, 1), "width": round(bar - 1, 1), "height": height})
        groups.append({"key": row["key"], "label": row["label"], "short": row.get("short", row["label"]), "total": row["total"], "bars": bars,
                       "label_x": round(LEFT + index * slot + slot / 2, 1)})
    grid = [{"value": value, "y": round(baseline - plot_height * value / 100, 1)} for value in GRID]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "baseline": baseline,
            "label_y": baseline + 18, "total_y": baseline + 36, "grid": grid, "groups": groups}
