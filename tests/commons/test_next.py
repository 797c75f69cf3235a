"""`next` leads only to this site, on every page that takes one (issue 13, item 11)."""

import pytest

OFF_SITE = ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)", "https:elsewhere.example",
            "/\\elsewhere.example/", "\\\\elsewhere.example"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_the_recovery_code_page_never_sends_anyone_off_site(auth_client, target):
    response = auth_client.post("/accounts/recovery-code/", {"saved": "on", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = auth_client.post(f"/accounts/recovery-code/?next={target}", {"saved": "on"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_recovery_code_page_follows_a_path_on_this_site(auth_client):
    response = auth_client.post("/accounts/recovery-code/", {"saved": "on", "next": "/b/safer-use/"})
    assert response["Location"] == "/b/safer-use/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_a_report_never_sends_anyone_off_site(auth_client, other_peer, target):
    response = auth_client.post("/report/", {"target": f"user:{other_peer.username}", "reason": "spam", "next": target})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//", "javascript", "/\\", "\\"))


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_log_in_never_sends_anyone_off_site(client, peer, target):
    from tests.conftest import PASSWORD

    response = client.post(f"/accounts/login/?next={target}", {"login": peer.username, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
