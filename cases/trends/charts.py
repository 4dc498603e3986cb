"""Server-rendered SVG bar charts of report tables: no JavaScript, no external reference, no
inline style (the Content-Security-Policy forbids inline <style>; SVG presentation
attributes are not styles). A chart draws only the published cells (a median not shown gets
no bar, just the same "–" the table shows), so the chart cannot say more than the table.
"""

from markupsafe import Markup, escape

from cases.trends.privacy import display
from cases.trends.tables import Table

WIDTH = 720
BAR_HEIGHT = 12
BAR_GAP = 3
ROW_GAP = 10
TEXT_HEIGHT = 16
VALUE_ROOM = 70
# Period colours: dark enough on white for non-text contrast (WCAG 1.4.11, >= 3:1).
COLOURS = ("#1f4e79", "#8a4f00", "#4b6b2f", "#6a3d7a", "#7a2e2e")


def bar_chart(table: Table) -> Markup:
    """An SVG bar chart of `table` (one group per row, one bar per column)."""
    shown = [c.value for row in table.rows for c in row.cells if c.value is not None]
    top = max(shown, default=0) or 1
    scale = (WIDTH - VALUE_ROOM - 10) / top
    legend_height = TEXT_HEIGHT + 6
    parts = []
    y = 4
    for i, column in enumerate(table.columns):
        x = 10 + i * 170
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{x + 18}" y="{y + 11}" font-size="12" fill="#1a1a1a">{escape(column)}</text>'
        )
    y += legend_height
    for row in table.rows:
        parts.append(f'<text x="10" y="{y + 12}" font-size="13" fill="#1a1a1a">{escape(row.label)}</text>')
        y += TEXT_HEIGHT + 2
        for i, cell in enumerate(row.cells):
            colour = COLOURS[i % len(COLOURS)]
            width = round(cell.value * scale, 1) if cell.value is not None else 0
            if width:
                parts.append(f'<rect x="10" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{colour}"/>')
            parts.append(
                f'<text x="{10 + width + 4}" y="{y + BAR_HEIGHT - 2}" font-size="11" fill="#1a1a1a">'
                f"{escape(display(cell))}</text>"
            )
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
    height = y + 4
    title_id = f"chart-{escape(table.key)}"
    # Every piece of text above went through escape(); the rest are numbers and fixed markup.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id}" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
        f'<title id="{title_id}">{escape(table.title)}</title>' + "".join(parts) + "</svg>"
    )
