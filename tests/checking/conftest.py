import pytest

from peers import roles
from tests.conftest import make_peer


@pytest.fixture
def checker(db):
    return make_peer(roles.CHECKER, username="check-ivy")


@pytest.fixture
def organiser(db):
    return make_peer(roles.ORGANISER, username="org-fern")


HEADER = "date,region,sold_as,found,method,service,note\n"


def csv_of(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)
