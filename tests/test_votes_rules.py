from datetime import UTC, datetime, timedelta

from app.domain.roles import Role
from app.domain.votes import Phase, may_take_part, phase, winners

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def test_phases():
    assert phase(NOW + timedelta(days=1), NOW + timedelta(days=5), NOW) is Phase.SUGGESTING
    assert phase(NOW - timedelta(days=1), NOW + timedelta(days=5), NOW) is Phase.VOTING
    assert phase(None, NOW + timedelta(seconds=1), NOW) is Phase.VOTING
    assert phase(None, NOW, NOW) is Phase.CLOSED


def test_who_may_take_part():
    assert may_take_part(Role.YOUNG_PERSON, ["young_people"])
    assert not may_take_part(Role.CARER, ["young_people"])
    assert may_take_part(Role.SOCIAL_WORKER, ["staff"]) and may_take_part(Role.MANAGER, ["staff"])
    assert not may_take_part("wizard", ["staff", "carers", "young_people"])


def test_winners_and_ties():
    assert winners({1: 3, 2: 5, 3: 1}) == [2]
    assert winners({1: 4, 2: 4}) == [1, 2]
    assert winners({1: 0, 2: 0}) == []
    assert winners({}) == []
