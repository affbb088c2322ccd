"""axe-core, from npm, run inside the page the user sees.

The rules are WCAG 2.0, 2.1 and 2.2 at levels A and AA; a serious or critical violation
fails the journey. axe's "moderate" and "minor" findings are advice and do not fail.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN = """(tags) => axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
}).then((results) => results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
})))"""


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(
            f"{AXE_SCRIPT} is missing: run `npm ci` (`make setup` does) to install axe-core"
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.2 AA violations on the page as it is now."""
    # Evaluated through the DevTools protocol, which the page's Content Security Policy
    # does not apply to: no inline <script> needs allowing for the test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations = page.evaluate(_RUN, WCAG_22_AA_TAGS)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} serious or critical WCAG 2.2 AA violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['summary']}")
    return "\n".join(lines)
