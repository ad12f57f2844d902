from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from app.domain.health import MAX_FIELD_LENGTH
from app.forms_common import PrefixedForm, text_limit


def _box(label, hint=None, rows=2):
    return TextAreaField(
        label,
        description=hint,
        validators=[text_limit(MAX_FIELD_LENGTH)],
        render_kw={"rows": rows},
    )


class HealthPassportForm(FlaskForm):
    lock_version = HiddenField()
    gp = _box(_l("My doctor (GP)"), _l("Name of the surgery, address and phone number."))
    dentist = _box(_l("My dentist"))
    optician = _box(_l("My optician"))
    conditions = _box(_l("Health conditions"), rows=3)
    medicines = _box(_l("Medicines I take"), _l("Name, how much and when."), rows=3)
    allergies = _box(_l("Allergies"))
    vaccinations = _box(
        _l("Vaccinations"), _l("For example: MMR, HPV, tetanus, flu, COVID-19, with dates."), rows=3
    )
    nhs_number = StringField(
        _l("NHS number"),
        description=_l(
            "10 numbers, like 943 476 5919. It is on letters from your doctor and in the NHS App."
        ),
        validators=[text_limit(20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    contacts = _box(_l("Useful contacts"), _l("For example a counsellor, a nurse or a clinic."), rows=3)


class OfferItemForm(PrefixedForm):
    area = SelectField(_l("Area"))
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), text_limit(120)])
    body = TextAreaField(
        _l("What it is"),
        validators=[DataRequired(message=_l("Say what it is.")), text_limit(2000)],
        render_kw={"rows": 3},
    )
    who_to_ask = StringField(
        _l("Who to ask"), validators=[DataRequired(message=_l("Say who to ask.")), text_limit(200)]
    )


AREA_TITLES = {
    "money": _l("Money"),
    "home": _l("Home"),
    "council_tax": _l("Council tax"),
    "health": _l("Health"),
    "education_training": _l("Education and training"),
    "work": _l("Work"),
    "leisure": _l("Free time"),
}
