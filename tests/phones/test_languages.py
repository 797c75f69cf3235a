"""Spanish and French beside English (issue 17): the first visit follows Accept-Language, the header's menu
changes it (kept in the account for a member, in the `lang` cookie for a visitor), and the catalogues are
complete and compiled (commons.catalogues)."""

import shutil

import polib
import pytest

from commons import catalogues
from peers.models import Peer
from tests.browser import open_page
from tests.conftest import session_key_for


def test_catalogues_are_complete_and_compiled():
    assert catalogues.catalogues(), "no catalogue in locale/"
    assert catalogues.problems() == []


@pytest.fixture
def locale_copy(tmp_path):
    shutil.copytree(catalogues.LOCALE, tmp_path / "locale")
    return tmp_path / "locale"


def _edit(locale, change):
    path = locale / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    change(next(entry for entry in po if entry.msgid == "Quick exit"))
    po.save(str(path))


def test_the_check_finds_a_missing_translation(locale_copy):
    _edit(locale_copy, lambda entry: setattr(entry, "msgstr", ""))
    found = catalogues.problems(locale_copy)
    assert any("untranslated: 'Quick exit'" in line for line in found), found
    assert any("not compiled from this .po" in line for line in found), found


def test_the_check_finds_a_fuzzy_entry_and_a_catalogue_not_compiled(locale_copy):
    _edit(locale_copy, lambda entry: entry.flags.append("fuzzy"))
    assert any("fuzzy: 'Quick exit'" in line for line in catalogues.problems(locale_copy))
    (locale_copy / "fr" / "LC_MESSAGES" / "django.mo").unlink()
    assert any(line.startswith("fr/") and "no .mo" in line for line in catalogues.problems(locale_copy))
    catalogues.compile_all(locale_copy)
    assert not any("no .mo" in line for line in catalogues.problems(locale_copy))


@pytest.mark.parametrize("header,lang,words", [
    ("es-MX,es;q=0.9,en;q=0.5", "es", "Salida rápida"),
    ("fr-CA,fr;q=0.8", "fr", "Sortie rapide"),
    ("de-DE,de;q=0.9", "en", "Quick exit"),
    ("", "en", "Quick exit"),
])
def test_the_first_visit_follows_accept_language(client, db, header, lang, words):
    page = client.get("/help/overdose/", headers={"accept-language": header} if header else {}).content.decode()
    assert f'<html lang="{lang}"' in page and words in page


def test_the_overdose_steps_are_translated(client, db, settings):
    settings.EMERGENCY_NUMBER = "112"
    page = client.get("/help/overdose/", headers={"accept-language": "es"}).content.decode()
    assert '<strong>Llama al <a href="tel:112">112</a> ya.</strong>' in page and "Dale naloxona" in page
    page = client.get("/help/overdose/", headers={"accept-language": "fr"}).content.decode()
    assert "Appelle le" in page and "Position latérale de sécurité" in page


def test_a_visitor_choice_is_kept_in_a_cookie(client, db):
    response = client.post("/language/", {"language": "fr", "next": "/help/overdose/"})
    assert response.status_code == 302 and response["Location"] == "/help/overdose/"
    assert response.cookies["lang"].value == "fr"
    assert "Sortie rapide" in client.get("/", headers={"accept-language": "es"}).content.decode()  # the choice wins


@pytest.mark.parametrize("data", [{"language": "de"}, {"language": ""}, {}, {"language": "es\r\nSet-Cookie: x"}])
def test_a_language_not_offered_is_refused(client, db, data):
    assert client.post("/language/", data).status_code == 400
    assert "lang" not in client.cookies


def test_next_never_leaves_the_site(client, db):
    assert client.post("/language/", {"language": "es", "next": "https://elsewhere.example/"})["Location"] == "/"


def test_a_member_choice_is_kept_in_the_account(client, peer):
    client.force_login(peer)
    client.post("/language/", {"language": "es"})
    assert Peer.objects.get(pk=peer.pk).language == "es"
    client.cookies.pop("lang")
    page = client.get("/", headers={"accept-language": "fr"}).content.decode()  # another browser, same account
    assert '<html lang="es"' in page and "Salida rápida" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_a_language_in_the_menu_at_390(asgi_server, browser, peer):
    from playwright.sync_api import expect

    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer), locale="fr-FR")
    page.goto(asgi_server + "/help/overdose/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # Accept-Language, first visit
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdose : que faire")
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("button", name="Español").click()
    page.wait_for_url("**/help/overdose/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sobredosis: qué hacer")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert Peer.objects.get(pk=peer.pk).language == "es"
    assert page.problems == []


def test_the_menu_goes_back_to_the_page_it_was_used_on(client, db):
    back = client.post("/language/", {"language": "es"}, headers={"referer": "http://testserver/rooms/?page=2"})
    assert back["Location"] == "/rooms/?page=2"
    for elsewhere in ("https://elsewhere.example/x", "http://testserver.evil/", "javascript:alert(1)", "//elsewhere/"):
        assert client.post("/language/", {"language": "es"}, headers={"referer": elsewhere})["Location"] == "/"


def test_a_request_leaves_no_language_behind(client, db):
    from django.utils import translation

    client.get("/", headers={"accept-language": "fr"})
    assert translation.get_language() == "en"  # what a service renders next on this thread is not in French
