"""axe-core (npm) injected into a Playwright page: WCAG 2.1 AA violations as a list.

``./dev.sh test`` installs axe-core under ``var/axe`` with npm; ``AXE_PATH`` points elsewhere.
"""

import os
from pathlib import Path

import pytest

AXE = Path(
    os.environ.get(
        "AXE_PATH",
        Path(__file__).resolve().parents[2] / "var/axe/node_modules/axe-core/axe.min.js",
    )
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; each violation with the nodes it found."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: ./dev.sh test installs it with npm")
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the
    # portal's Content-Security-Policy (no inline scripts), which is the point of it.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {page.url}: {violations}"
