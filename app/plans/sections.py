"""What each plan section is called, in the young person's words."""

from flask_babel import lazy_gettext as _l

TITLES = {
    "going_well": _l("What's going well"),
    "worried": _l("What we're worried about"),
    "needs_to_happen": _l("What needs to happen"),
    "my_people": _l("My people"),
    "education_work": _l("Education and work"),
    "money": _l("Money"),
    "home": _l("Home"),
    "health": _l("Health"),
    "family_friends": _l("Family and friends"),
    "identity": _l("Who I am"),
    "practical_skills": _l("Practical skills"),
}

# A line to help the worker write each section for the young person.
HINTS = {
    "going_well": _l("Good things in their life right now, in words they would use."),
    "worried": _l("What the adults are worried about, said kindly and honestly."),
    "needs_to_happen": _l("The plan: each action says what, who and by when."),
    "my_people": _l("The people who matter to them and who helps with what."),
    "education_work": _l("Goals for school, college, training or work."),
    "money": _l("Goals for money: income, budgeting, bank account, benefits."),
    "home": _l("Where they live now and where they want to live next."),
    "health": _l("Physical and mental health goals and support."),
    "family_friends": _l("Family time, friends and the people who support them."),
    "identity": _l("Culture, faith, language, documents (passport, birth certificate)."),
    "practical_skills": _l("Cooking, shopping, travel and other everyday skills."),
}
