"""What complaints' statuses, events and deadlines are called on the officer's and the young
person's pages (`{{ complaint.status|label }}`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.domain.complaints import EventKind, Status, Timeliness
from app.labels import labels

STATUSES = labels(
    Status,
    {
        Status.OPEN: _l("Open"),
        Status.ANSWERED: _l("Answered"),
        Status.ESCALATION_REQUESTED: _l("Next stage asked for"),
        Status.CLOSED: _l("Closed"),
        Status.WITHDRAWN: _l("Withdrawn"),
    },
)

EVENTS = labels(
    EventKind,
    {
        EventKind.RECEIVED: _l("Received"),
        EventKind.ACKNOWLEDGED: _l("Acknowledged"),
        EventKind.EXTENDED: _l("Extended"),
        EventKind.RESPONSE_SENT: _l("Response sent"),
        EventKind.ESCALATION_REQUESTED: _l("Next stage asked for"),
        EventKind.ESCALATED: _l("Escalated"),
        EventKind.SHARED: _l("Shared"),
        EventKind.CLOSED: _l("Closed"),
        EventKind.WITHDRAWN: _l("Withdrawn"),
    },
)

TIMELINESS = labels(
    Timeliness,
    {
        Timeliness.ON_TIME: _l("On time"),
        Timeliness.DUE_SOON: _l("Due soon"),
        Timeliness.LATE: _l("Late"),
    },
)
