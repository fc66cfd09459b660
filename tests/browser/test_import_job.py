"""A large register import in real Chromium: the upload becomes a background job, the
page polls it with htmx and shows the outcome; a refused file lists its errors. At 390 px
wide, accessible."""

import os
from pathlib import Path

import pytest

from academies.models import ImportJob
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.factories import PASSWORD, ensure_municipalities, make_member
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: SCREENSHOT_DIR to keep them for a look, else thrown away."""
    return Path(os.environ.get("SCREENSHOT_DIR", tmp_path))


def test_a_background_import_is_polled_until_it_is_done(page, tmp_path, shots, monkeypatch):
    from academies.services import imports as import_services

    monkeypatch.setattr(import_services, "SYNC_MAX_BYTES", 0)
    monkeypatch.setattr("academies.tasks.enqueue_import", lambda job_id: None)  # run below
    ensure_municipalities()
    academy = recognised_academy()
    make_member(academy, email="import@example.org")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "import@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    register = tmp_path / "register.csv"
    register.write_bytes(to_csv(register_rows(4, 3)))

    page.goto(f"/academies/{academy.pk}/import/")
    page.get_by_label("Aanwezigheidsregister (CSV of XLSX)").set_input_files(str(register))
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_url("**/import/*/")
    status = page.locator("#import-job")
    assert "In de wachtrij" in status.inner_text()
    assert_accessible(page)
    page.screenshot(path=shots / "import_job_queued.png", full_page=True)

    import_services.run_import(ImportJob.objects.get().pk)
    page.get_by_text("12 rijen ingelezen").wait_for()  # swapped in by htmx polling
    assert page.locator("#import-job[hx-get]").count() == 0  # polling stopped
    assert_accessible(page)
    page.screenshot(path=shots / "import_job_done.png", full_page=True)


def test_a_refused_file_lists_every_error_by_row_and_column(page, tmp_path, shots):
    ensure_municipalities()
    academy = recognised_academy()
    make_member(academy, email="fout@example.org")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "fout@example.org", PASSWORD)
    page.wait_for_url("**/academies/")
    rows = register_rows(2, 2)
    rows[1] = {**rows[1], "participant_ref": "K\x0b1"}
    rows[2] = {**rows[2], "session_date": "0001-01-01"}
    register = tmp_path / "register.csv"
    register.write_bytes(to_csv(rows))
    page.goto(f"/academies/{academy.pk}/import/")
    page.get_by_label("Aanwezigheidsregister (CSV of XLSX)").set_input_files(str(register))
    page.get_by_role("button", name="Importeren").click()
    table = page.get_by_role("table")
    table.wait_for()
    text = table.inner_text()
    assert "2 fouten gevonden" in text
    assert "controleteken" in text and "tussen 2000 en 2100" in text
    assert_accessible(page)
    page.screenshot(path=shots / "import_refused.png", full_page=True)
