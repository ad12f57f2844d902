"""What the Promise's two versions are called (`{{ version.band|label }}`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.domain.ages import PromiseBand
from app.labels import labels

BANDS = labels(
    PromiseBand,
    {
        PromiseBand.UP_TO_15: _l("Up to 15"),
        PromiseBand.SIXTEEN_PLUS: _l("16 and over"),
    },
)
