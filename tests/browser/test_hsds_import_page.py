"""The staff HSDS import in a real browser: upload, dry run summary, and axe on the result page
(the crawl in test_accessibility.py sees only the empty form)."""

import zipfile
from pathlib import Path

import pytest

from tests.browser_helpers import axe_results
from tests.conftest import PASSWORD, create_user
from welfare.models import Role

DEFECTS = Path(__file__).parent.parent / "fixtures" / "hsds" / "defects"


@pytest.mark.browser
def test_dry_run_result_is_readable_and_accessible(live_app, base_url, page, tmp_path):
    package = tmp_path / "dolenjska.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for path in (DEFECTS / "missing_organization").iterdir():
            archive.write(path, path.name)
    create_user(live_app, Role.ORGANIZER, "uvoz-organizator")
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill("uvoz-organizator")
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_load_state()
    page.goto(base_url + "/staff/catalog/import")
    page.get_by_label("Podatkovni paket HSDS").set_input_files(str(package))
    page.get_by_label("Uvozi veljavne vrstice, ostale preskoči").check()
    page.get_by_role("button", name="Preveri in uvozi").click()
    page.wait_for_load_state()
    status = page.get_by_role("status")
    assert "Poskusni zagon: nič ni bilo zapisano" in status.inner_text()
    assert "Storitve, katerih organizacija manjka" in status.inner_text()
    results = axe_results(page)
    assert not results.response["violations"], results.generate_report()
