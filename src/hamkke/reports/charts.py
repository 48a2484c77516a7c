"""Chart data for the dashboards: plain dicts the page embeds with ``json_script``.

``static/reports/reports.js`` turns each into a Chart.js chart (served locally, no CDN); the same
numbers are always in a table next to or below the chart, for screen readers and for printing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .selectors import Dashboard, Row, Statistics

HEAT_LEVELS = 5


def _bar(labels, datasets, *, horizontal: bool = False, stacked: bool = False, line: bool = False) -> dict:
    return {
        "type": "line" if line else "bar",
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "horizontal": horizontal,
        "stacked": stacked,
    }


def _rows(rows: list[Row], label: str, *, skip_zero: bool = False, horizontal: bool = False) -> dict:
    rows = [row for row in rows if row.count or not skip_zero]
    return _bar(
        [row.label for row in rows], [{"label": label, "data": [row.count for row in rows]}], horizontal=horizontal
    )


def monthly(stats: Statistics) -> dict:
    months = stats.months
    return _bar(
        [m.label for m in months],
        [
            {"label": _("서비스 제공"), "data": [m.services for m in months]},
            {"label": _("상담·방문"), "data": [m.contacts for m in months]},
            {"label": _("신규 가구"), "data": [m.households_new for m in months]},
        ],
        line=True,
    )


def charts_for(board: Dashboard) -> dict[str, dict]:
    """The charts of a dashboard, by name (the template places each one)."""
    stats = board.stats
    charts = {"months": monthly(stats), "domains": _rows(stats.services_by_domain, _("서비스 제공"), horizontal=True)}
    if board.view in ("worker", "supervisor"):
        charts["my_stages"] = _rows(board.my_stages, _("내 사례"), skip_zero=True)
    if board.team:
        charts["team"] = _bar(
            [str(w.worker) for w in board.team],
            [
                {"label": _("관리 중 사례"), "data": [w.total for w in board.team]},
                {"label": _("위기도 상"), "data": [w.high_crisis for w in board.team]},
                {"label": _("거부·보류"), "data": [w.waiting for w in board.team]},
            ],
            horizontal=True,
        )
    if board.overdue_by_worker:
        late = board.overdue_by_worker
        charts["overdue_workers"] = _bar(
            [str(w.worker) for w in late], [{"label": _("지연 건수"), "data": [w.count for w in late]}], horizontal=True
        )
    if board.view == "district":
        charts["agencies"] = _rows(stats.services_by_agency, _("서비스 제공"), horizontal=True)
    return charts


def heat_level(value: int, top: int) -> int:
    """0..5 for the shading of a table cell ("map-like table by dong")."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, round(HEAT_LEVELS * value / top))
