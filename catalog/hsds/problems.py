"""The problem report of an import: a short summary for the terminal (counts per kind of problem,
the first few examples of each) and the full `file, row, field: problem` list in a file.

A real directory can have tens of thousands of problems; the terminal shows the shape of them,
the file has every one for whoever cleans the data at the source.
"""

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from catalog.hsds.tables import ImportReport, Issue
from welfare import clock

EXAMPLES = 3


def summary(issues: list[Issue], examples: int = EXAMPLES) -> list[str]:
    """Lines: one per kind of problem (most frequent first) with its count, then its first examples."""
    by_kind: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        by_kind[issue.kind].append(issue)
    lines = []
    for kind, found in sorted(by_kind.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"  {kind}: {len(found)}")
        lines.extend(f"      {issue}" for issue in found[:examples])
        if len(found) > examples:
            lines.append(f"      ... and {len(found) - examples} more")
    return lines


def write_report(report: ImportReport, folder: Path, outcome: str) -> Path:
    """Write every problem to folder/hsds-<source>-<timestamp>.txt and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(clock.OFFICE_TZ).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in report.source)[:60] or "hsds"
    path = folder / f"hsds-{safe}-{stamp}.txt"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"hsds-{safe}-{stamp}-{n}.txt"
    sections = [
        (f"Problems: {outcome}", report.errors),
        ("Skipped or corrected", report.skipped),
        ("Warnings (imported as they are)", report.warnings),
    ]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"HSDS {report.version} import, source {report.source}: {outcome}\n")
        for title, issues in sections:
            if issues:
                fh.write(f"\n{title} ({len(issues)}):\n")
                fh.writelines(f"{issue}\n" for issue in issues)
    report.report_path = str(path)
    return path
