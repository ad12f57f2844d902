"""What a rule raises when it says no."""

from __future__ import annotations


class Problem(ValueError):
    """A rule said no. `reason` is a key the page turns into plain words; `detail` says
    more for the log. A view that catches one calls app.unit_of_work.discard(), so nothing
    the request had started to change is kept."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
