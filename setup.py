"""Setuptools hook: compile the gettext catalogs (.po -> .mo) during install.

Compiled catalogs are build artefacts, so they are not committed; both a regular
and an editable (`pip install -e .`) install run build_py, which compiles them.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).parent / "welfare" / "translations"
    for po_path in root.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


class BuildWithTranslations(build_py):
    def run(self):
        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildWithTranslations})
