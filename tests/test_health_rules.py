from app.domain.health import changed_fields, valid_nhs_number


def test_nhs_number_check_digit():
    assert valid_nhs_number("943 476 5919")
    assert valid_nhs_number("9434765919")
    assert not valid_nhs_number("943 476 5918")
    assert not valid_nhs_number("12345")
    assert not valid_nhs_number("94347659190")


def test_changed_fields_lists_only_changes():
    assert changed_fields({"gp": "Dr A", "allergies": ""}, {"gp": "Dr B", "allergies": ""}) == {"gp": "Dr B"}
