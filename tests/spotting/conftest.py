"""Fixtures for Spot me: a member, supporters on duty, a started and a claimed session."""

import pytest

from helpnow import services as helpnow_services
from peers import roles
from spotting import services
from tests.conftest import make_peer


@pytest.fixture
def member(db):
    return make_peer(roles.MEMBER, username="spot-ana")


@pytest.fixture
def spotter(db):
    supporter = make_peer(roles.SUPPORTER, username="spot-lee")
    helpnow_services.duty_set(supporter=supporter, on=True)
    return supporter


@pytest.fixture
def second_supporter(db):
    supporter = make_peer(roles.SUPPORTER, username="spot-kai")
    helpnow_services.duty_set(supporter=supporter, on=True)
    return supporter


@pytest.fixture
def started(member):
    return services.session_start(member=member, interval_minutes=5, length_minutes=60, note="Flat 3, door code 1234. Call Sam.")


@pytest.fixture
def claimed(started, spotter):
    return services.session_claim(session=started, supporter=spotter)
