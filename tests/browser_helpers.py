"""Shared by the browser journeys: the Slovenian UI's words and axe's WCAG 2.2 A/AA check."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from babel.support import Translations

from welfare import PROJECT_ROOT

SL = Translations.load(str(Path(PROJECT_ROOT) / "welfare" / "translations"), ["sl"])
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_axe = Axe()


def t(text: str, **values) -> str:
    """The Slovenian the page shows for an English msgid (with its values filled in)."""
    return SL.gettext(text) % values if values else SL.gettext(text)


def wait_until_styled(page) -> None:
    """Wait for the page as a person sees it: loaded, with every stylesheet it links applied. Run
    before any axe check: axe once judged the header's links of a page whose stylesheet had not
    yet applied as too small and too close together (target-size)."""
    page.wait_for_function(
        """() => document.readyState === "complete"
              && [...document.querySelectorAll('link[rel="stylesheet"]')].every(link => link.sheet)"""
    )


def axe_results(page):
    """axe's WCAG 2.2 A/AA results for the page, once it is styled: every axe check goes through
    here, so none runs on a page whose stylesheets have not applied yet."""
    wait_until_styled(page)
    return _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})


def axe_violations(page) -> list[str]:
    """axe's WCAG 2.2 A/AA violations on the page as it is now, each with the page's address and
    the first elements it names (a violation that shows only beside other journeys' data needs them).

    It waits for the page as a person sees it: loaded, with every stylesheet it links applied (axe
    once judged the header's links of a page whose stylesheet had not yet applied, as too small and
    too close together)."""
    results = axe_results(page)
    return [
        f"{page.url}: {v['id']}: {v['help']}: {[n['html'][:200] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
