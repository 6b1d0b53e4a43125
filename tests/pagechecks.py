"""Checks a browser test runs on a page: axe-core (WCAG 2.2 AA), sideways scroll, page weight,
and the Nu Html Checker on the pages' HTML as served.

axe-core and vnu.jar are pinned in ``package.json`` (``make vendor`` installs them). Each check
returns plain messages that say what is wrong and where, so a failing test lists them all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: The axe rule tags the pages are held to: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Phone, tablet and desktop widths; no page may scroll sideways at any of them.
WIDTHS = (360, 768, 1280)
#: What a page may transfer before its images: HTML, CSS, JavaScript, fonts, headers included.
MAX_TRANSFER_BYTES = 150 * 1024


@dataclass(frozen=True)
class PageVisit:
    """How to reach one page type: a path (``{course}``-style places filled from the seed), who
    is signed in, optionally a form to submit after typing ``fill`` into it (selector: text, or
    True to tick a box), and a path to open ``then``. ``status`` is the final page's.

    A submitted form skips the browser's own validation, so the server's messages show.
    """

    name: str
    path: str
    who: str = "visitor"
    submit: str | None = None
    fill: dict[str, str | bool] = field(default_factory=dict)
    then: str | None = None
    status: int = 200


@dataclass
class PageReport:
    """What the checks found on one page at one width."""

    name: str
    width: int
    url: str = ""
    status: int = 0
    html: bytes = b""
    overflow: int = 0
    transferred: int = 0
    has_error_summary: bool = False
    violations: list[str] = field(default_factory=list)


def open_page(page, base_url: str, visit: PageVisit, places: dict[str, str]) -> tuple[object, list]:
    """Reach ``visit``'s page in ``page``; its final document response and every request the
    final view made (the form page before a submit is not counted)."""
    requests: list = []

    def record(request) -> None:
        requests.append(request)

    page.on("requestfinished", record)
    try:
        response = page.goto(base_url + visit.path.format(**places))
        if visit.submit:
            form = page.locator(visit.submit).first
            form.evaluate("form => { form.noValidate = true; }")
            for selector, text in visit.fill.items():
                if text is True:
                    form.locator(selector).check()
                else:
                    form.locator(selector).fill(text)
            requests.clear()
            with page.expect_navigation() as navigation:
                form.locator("[type=submit]").first.click()
            response = navigation.value
        if visit.then:
            requests.clear()
            response = page.goto(base_url + visit.then.format(**places))
        page.wait_for_load_state("load")
    finally:
        page.remove_listener("requestfinished", record)
    return response, requests


def disable_cache(context) -> None:
    """Make every view of ``context`` fetch its styles and scripts, as a first visit does (for
    the page weight). A routed request never comes from a cache (DevTools' own switch still
    leaves Chromium's memory cache on)."""
    context.route("**/*", lambda route: route.continue_())


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one message per rule and element.

    The script is evaluated through the DevTools protocol, which the page's CSP does not govern,
    so the page is checked under its real policy.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    messages = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            messages.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at `{target}`")
    return messages


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it does not scroll sideways)."""
    return max(0, page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def transferred_bytes(requests: list) -> int:
    """Bytes on the wire (headers and compressed bodies) of ``requests``, images left out."""
    total = 0
    for request in requests:
        response = request.response()
        content_type = (response.headers.get("content-type", "") if response else "").lower()
        if request.resource_type == "image" or content_type.startswith("image/"):
            continue
        sizes = request.sizes()
        total += max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
    return total


def nu_checker_missing() -> str | None:
    """Why the Nu Html Checker cannot run here (no Java, no vnu.jar), or None when it can.

    In CI (``CI`` set) both must be there, so a missing one is an error, never a skip.
    """
    reason = None
    if not shutil.which("java"):
        reason = "Java is not installed (apt-get install default-jre-headless)"
    elif not VNU_JAR.exists():
        reason = f"{VNU_JAR.relative_to(ROOT)} is missing (run `make vendor`)"
    if reason and os.environ.get("CI"):
        raise RuntimeError(f"The Nu Html Checker must run in CI: {reason}")
    return reason


def start_nu_checker(files: list[Path]) -> subprocess.Popen:
    """Start the Nu Html Checker on ``files``, all at once (Java takes seconds to start), in the
    background, so the browser can go on while it reads them; ``nu_html_errors`` collects it."""
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
    return subprocess.Popen(
        [*command, *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def nu_html_errors(checker: subprocess.Popen) -> list[str]:
    """The errors the Nu Html Checker started by ``start_nu_checker`` found: file, line, message."""
    out, err = checker.communicate(timeout=300)
    try:
        messages = json.loads(out or "{}").get("messages", [])
    except json.JSONDecodeError:
        return [f"vnu.jar gave no report (exit {checker.returncode}): {err[-2000:]}"]
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        where = os.path.basename(message.get("url", "")).removesuffix(".html")
        extract = " ".join(message.get("extract", "").split())
        errors.append(
            f"{where} line {message.get('lastLine', '?')}: {message.get('message')} [{extract[:100]}]"
        )
    return errors
