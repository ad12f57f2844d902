from datetime import date

import pytest

from app.domain.ages import PromiseBand, promise_band
from app.domain.promise import MAX_WORDS_LENGTH, clean_words, promise_grew_up


def test_sixteenth_birthday_today_brings_the_new_version_and_the_note():
    born = date(2010, 11, 22)
    assert promise_band(born, date(2026, 11, 21)) is PromiseBand.UP_TO_15
    assert not promise_grew_up(born, date(2026, 11, 21))
    assert promise_band(born, date(2026, 11, 22)) is PromiseBand.SIXTEEN_PLUS
    assert promise_grew_up(born, date(2026, 11, 22))
    assert promise_grew_up(born, date(2026, 12, 21))
    assert not promise_grew_up(born, date(2026, 12, 22))


def test_leap_day_birthday_in_a_leap_year():
    born = date(2012, 2, 29)  # 16 on 29 February 2028
    assert promise_band(born, date(2028, 2, 28)) is PromiseBand.UP_TO_15
    assert promise_band(born, date(2028, 2, 29)) is PromiseBand.SIXTEEN_PLUS
    assert promise_grew_up(born, date(2028, 2, 29))


def test_leap_day_birthday_in_a_year_without_one_is_the_first_of_march():
    born = date(2084, 2, 29)  # 2100 is not a leap year
    assert promise_band(born, date(2100, 2, 28)) is PromiseBand.UP_TO_15
    assert not promise_grew_up(born, date(2100, 2, 28))
    assert promise_band(born, date(2100, 3, 1)) is PromiseBand.SIXTEEN_PLUS
    assert promise_grew_up(born, date(2100, 3, 1))


def test_words_are_optional_trimmed_and_limited():
    assert clean_words(None) is None
    assert clean_words("   ") is None
    assert clean_words("  not really  ") == "not really"
    with pytest.raises(ValueError):
        clean_words("x" * (MAX_WORDS_LENGTH + 1))
