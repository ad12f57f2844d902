"""What each reminder says, in the notification centre and (when the person chose to show
details) on the phone. Plain words: young people read these too."""

from flask_babel import lazy_gettext as _l

from app.domain.reminders import Kind, Reason
from app.labels import labels

DISCREET = _l("You have something new")
# An urgent alert must be opened now, even on a phone that shows no details; it still says
# nothing about who or why.
URGENT_DISCREET = _l("Urgent: please open the app now.")

SAYS = labels(
    Reason,
    {
        Reason.REVIEW_IN_7_DAYS: _l("Your review is coming up soon. You can get ready for it in the app."),
        Reason.REVIEW_TOMORROW: _l("Your review is tomorrow."),
        Reason.NEW_MESSAGE: _l("You have a new message."),
        Reason.SKILL_SIGNED_OFF: _l("Well done! A skill in your passport is signed off."),
        Reason.SKILL_SENT_BACK: _l(
            "A skill in your passport needs a bit more practice. Have a look at the note."
        ),
        Reason.NEW_PLAN_VERSION: _l("There is a new version of your plan to read."),
        Reason.COMPLAINT_UPDATE: _l("There is news about your complaint."),
        Reason.PRACTISE_SKILLS: _l("There are passport skills to practise together this week."),
        Reason.SIGN_OFF_WAITING: _l("Passport progress has waited more than 3 days for sign-off."),
        Reason.MESSAGE_UNANSWERED: _l("A message has waited 2 working days for an answer."),
        Reason.REVIEWS_DUE: _l("A review is due soon, or late."),
        Reason.COMPLAINT_DUE: _l("A complaint is due within 2 working days, or is late."),
        Reason.URGENT_ALERT: _l("Urgent: a young person does not feel safe. Please open the app now."),
        Reason.ALERT_TAKEN_ON: _l("Someone has seen what you sent us and is on it."),
        Reason.ACCOUNT_RESET: _l(
            "Someone made a new sign-in code for a young person who has a complaint open. "
            "Check that they asked for it."
        ),
        Reason.TEST: _l("This is a test. Reminders work on this phone or computer."),
    },
)

KINDS = labels(
    Kind,
    {
        Kind.REVIEWS: _l("Reviews"),
        Kind.MESSAGES: _l("Messages"),
        Kind.PASSPORT: _l("Passport skills"),
        Kind.PLANS: _l("My plan"),
        Kind.COMPLAINTS: _l("Complaints"),
    },
)
