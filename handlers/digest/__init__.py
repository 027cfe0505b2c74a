"""Manager digests: the numbers (report), the message and chart (views, chart), knowledge gaps
(gaps), periods (period), scheduled sending once per period (service), the on-demand command
(command) and CSV exports (export)."""

from .command import router

__all__ = ["router"]
