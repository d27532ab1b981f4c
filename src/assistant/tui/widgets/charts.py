"""Bar charts drawn with block characters: readable in any terminal, and in SVG exports."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of ``width`` cells at most, with eighth-cell precision."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(value / maximum * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


class BarChart(Static):
    """Labelled horizontal bars; ``fmt`` renders each value next to its bar."""

    def __init__(self, title: str = "", **kwargs) -> None:
        super().__init__("", **kwargs)
        self.title = title

    def set_data(
        self,
        rows: list[tuple[str, float]],
        *,
        maximum: float | None = None,
        fmt: str = "{:.0f}",
        empty: str = "",
        width: int = 30,
    ) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        top = maximum if maximum is not None else max((v for _, v in rows), default=0)
        for label, value in rows:
            table.add_row(label, Text(bar(value, top, width), style="cyan"), fmt.format(value))
        header = Text(self.title, style="bold")
        if not rows:
            self.update(Text.assemble(header, "\n", Text(empty, style="dim italic")))
            return
        from rich.console import Group

        self.update(Group(header, table))
