"""The dock tab bars' style: the application's own, with less room beside each title.

Qt's Fusion style leaves 24 px beside every tab title. With seven plot panels all tabs of one
group (presentation mode, one plot at once) a 1024 px projector's tab bar had 608 px for 671 px
of tabs at 14 pt, and the last ones hid behind scroll arrows; 12 px beside each title keeps the
titles whole (the text checker wants 8) and the seven tabs on the bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

#: Pixels beside a tab's title, in all (Fusion's own: 24).
TAB_SPACE = 12

_style: QProxyStyle | None = None


class CompactTabStyle(QProxyStyle):
    """The base style with TAB_SPACE pixels beside each tab title."""

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 - Qt's name
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return TAB_SPACE
        return super().pixelMetric(metric, option, widget)


def compact_tab_style() -> QProxyStyle:
    """One CompactTabStyle over the application's style, made on first use and kept (a
    widget's style is not owned by the widget)."""
    global _style
    if _style is None:
        _style = CompactTabStyle(QApplication.style().name())
    return _style
