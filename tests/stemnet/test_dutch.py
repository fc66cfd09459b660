"""The Dutch UI speaks as Flemish government writing does: "u", never "je"; and Django's
own messages (password validation) are Dutch too."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INFORMAL = re.compile(r"(?<![\w-])(je|jij|jou|jouw|jezelf)(?![\w-])|\\n(Je|Jij|Jouw)\b", re.I)


def test_templates_and_messages_use_u_not_je():
    files = subprocess.run(
        ["git", "ls-files", "*.html", "*.py", "*.txt"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    offenders = []
    for name in files:
        if name.startswith(("tests/", "bench/")):
            continue
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1):
            if INFORMAL.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_root_catalogue_msgids_use_u():
    text = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgids = re.findall(r'^msgid ((?:".*"\n)+)', text, re.M)
    informal = [m for m in msgids if INFORMAL.search("".join(re.findall(r'"(.*)"', m)))]
    assert not informal, informal


@pytest.mark.django_db
def test_password_errors_on_the_dutch_sign_up_page_are_dutch(client):
    if not (ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("the catalogues are not compiled (./dev.sh compiles them with gettext)")
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.org", "password1": "abc", "password2": "abc"},
    )
    page = response.content.decode()
    assert "Dit wachtwoord is te kort. Het moet minstens 8 tekens bevatten." in page
    assert "This password" not in page


@pytest.mark.django_db
def test_allauth_messages_speak_u_too(client):
    if not (ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("the catalogues are not compiled (./dev.sh compiles them with gettext)")
    page = client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.org", "password1": "Lang-genoeg-2026", "password2": "anders"},
    ).content.decode()
    assert "U moet hetzelfde wachtwoord twee keer intoetsen." in page
    page = client.post(
        reverse("account_login"), {"login": "niemand@example.org", "password": "fout-fout"}
    ).content.decode()
    assert "Het door u opgegeven e-mailadres en/of wachtwoord is niet correct." in page
    assert not INFORMAL.search(re.sub(r"<[^>]+>", " ", page))
