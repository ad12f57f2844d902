"""How the passport's steps, areas and buttons are said."""

from flask_babel import lazy_gettext as _l

from app.domain.passport import Step
from app.domain.roles import Role
from app.labels import labels

DEFAULT_NAME = _l("Passport to Independence")

STEPS = labels(
    Step,
    {
        Step.NOT_STARTED: _l("Not started"),
        Step.LEARNING: _l("Learning"),
        Step.PRACTISED: _l("Practised together"),
        Step.CAN_DO: _l("I can do this"),
        Step.SIGNED_OFF: _l("Signed off"),
        Step.SENT_BACK: _l("Sent back"),
    },
)

AREAS = {
    "money": _l("Money"),
    "food_cooking": _l("Food and cooking"),
    "health_wellbeing": _l("Health and feeling well"),
    "home_tenancy": _l("Looking after a home"),
    "education_work": _l("School, college and work"),
    "documents_rights": _l("Documents and your rights"),
    "relationships_safety": _l("Relationships and staying safe"),
    "getting_around": _l("Getting around"),
}

BUTTONS = {
    (Role.YOUNG_PERSON, Step.LEARNING): _l("I'm learning this"),
    (Role.YOUNG_PERSON, Step.CAN_DO): _l("I can do this"),
    (Role.CARER, Step.LEARNING): _l("We've started"),
    (Role.CARER, Step.PRACTISED): _l("We practised this together"),
    (Role.SOCIAL_WORKER, Step.SIGNED_OFF): _l("Sign off"),
    (Role.PERSONAL_ADVISER, Step.SIGNED_OFF): _l("Sign off"),
    (Role.SOCIAL_WORKER, Step.SENT_BACK): _l("Send back"),
    (Role.PERSONAL_ADVISER, Step.SENT_BACK): _l("Send back"),
}


def button(role: Role, step: Step) -> str:
    return BUTTONS.get((role, step), STEPS[step])
