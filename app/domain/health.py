"""The health passport's fields, and checking an NHS number."""

from __future__ import annotations

FIELDS = (
    "gp",
    "dentist",
    "optician",
    "conditions",
    "medicines",
    "allergies",
    "vaccinations",
    "nhs_number",
    "contacts",
)
MAX_FIELD_LENGTH = 2000


def valid_nhs_number(value: str) -> bool:
    """An NHS number is 10 digits whose last is a check digit (modulus 11, weights 10 to 2;
    NHS Data Dictionary)."""
    digits = [c for c in value if c.isdigit()]
    if len(digits) != 10 or len(value.replace(" ", "").replace("-", "")) != 10:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def changed_fields(before: dict, after: dict) -> dict:
    """Only what changed: kept with each edit so nothing in the passport is lost."""
    return {k: after.get(k, "") for k in FIELDS if (before.get(k) or "") != (after.get(k) or "")}
