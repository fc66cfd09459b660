"""Dutch first, English through Django i18n: the catalogue is complete and really used."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"
# The project's catalogue plus one per app (``<app>/locale``), so apps keep their own strings.
CATALOGUES = [CATALOGUE / "django.po"] + sorted(ROOT.glob("*/locale/en/LC_MESSAGES/django.po"))


def _entries(po_text: str):
    """(flags, msgid, msgstrs) for each entry of a .po file, the header first."""
    for block in re.split(r"\n\s*\n", po_text.strip()):
        flags, fields, current = "", {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            keyword = re.match(r'(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if keyword:
                current = keyword[1]
                fields[current] = keyword[2]
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            yield flags, fields["msgid"], strings


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_is_complete_and_not_fuzzy(po):
    text = po.read_text(encoding="utf-8")
    untranslated, fuzzy = [], []
    for index, (flags, msgid, strings) in enumerate(_entries(text)):
        if "fuzzy" in flags:
            fuzzy.append(msgid)
        if index > 0 and not all(strings):  # entry 0 is the header
            untranslated.append(msgid)
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"untranslated entries: {untranslated[:10]}"


@pytest.mark.django_db
def test_english_pages_are_in_english(client):
    if not (CATALOGUE / "django.mo").exists():
        pytest.skip("the catalogue is not compiled (./dev.sh compiles it when gettext is there)")
    dutch = client.get(reverse("home")).content.decode()
    assert "Naar de inhoud" in dutch
    assert ">English</option>" in dutch  # each language in its own name
    assert '<option value="nl-be" lang="nl-be" selected>Nederlands</option>' in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in english
    assert "Naar de inhoud" not in english
    assert ">Nederlands</option>" in english
    login = client.get(reverse("account_login")).content.decode()
    assert "Wachtwoord" not in login and "Password" in login
