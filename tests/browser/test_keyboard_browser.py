"""A keyboard user: focus lands on the errors of a refused form, every control shows where the
focus is, and on a 360 px phone every control is a touch target at least 44 px high."""

from __future__ import annotations

import pytest

from tests.builders import make_batch, make_course
from tests.chromium import BROWSER_TEST

pytestmark = BROWSER_TEST

#: The smallest touch target, in CSS pixels (WCAG 2.5.5 and the platforms' guidelines).
MIN_TARGET = 44

#: Does the focused element show a focus ring: an outline, or a box-shadow standing in for one.
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""

#: An element as a failure message names it: tag, id and its first words.
DESCRIBE = """el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"'"""
FOCUSED = f"() => ({DESCRIBE})(document.activeElement)"

#: What a finger has to hit: navigation links, and the controls of forms (a box or a radio
#: button through its label). The honeypot field is hidden from people.
TARGETS = ", ".join(
    (
        ".site-nav a", ".site-nav button", ".footer-links a", "main form button", "main form select",
        "main form textarea", "main form input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "main form .field-check label", "main form .choice label",
    )
)  # fmt: skip


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def course(db):
    course = make_course(title="Kubeflow Pipelines Bootcamp")
    make_batch(course, starts_in_days=20)
    db.session.commit()
    return course


def test_a_refused_enquiry_puts_the_focus_on_its_error_summary(live_server, phone, course):
    phone.goto(f"{live_server}/courses/{course.slug}/enquire")
    phone.get_by_role("button", name="Send enquiry").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Your enquiry was not sent yet" in phone.evaluate("document.activeElement.textContent")


def test_a_refused_report_puts_the_focus_on_its_error_summary(live_server, phone, course):
    phone.goto(f"{live_server}/courses/{course.slug}/report")
    phone.locator("main form [type=submit]").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")


def test_a_page_without_errors_keeps_the_focus_where_it_was(live_server, phone, course):
    phone.goto(f"{live_server}/courses/{course.slug}/enquire")
    assert phone.evaluate("document.activeElement === document.body")


def test_every_control_of_the_home_page_shows_the_keyboard_focus(live_server, browser, course):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    unmarked, seen = [], set()
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused in seen or page.evaluate("document.activeElement === document.body"):
            break
        seen.add(focused)
        if not page.evaluate(FOCUS_SHOWN):
            unmarked.append(focused)
    context.close()
    assert len(seen) > 5
    assert not unmarked, f"no visible focus on: {unmarked}"


@pytest.mark.parametrize("path", ["/", "/courses/{slug}/enquire", "/courses/{slug}/report", "/portal/login"])
def test_controls_are_at_least_44px_high_on_a_phone(live_server, phone, course, path):
    phone.goto(live_server + path.format(slug=course.slug))
    small = []
    for target in phone.locator(TARGETS).all():
        box = target.bounding_box()
        if box and box["height"] < MIN_TARGET and not target.evaluate("el => !!el.closest('.hp')"):
            small.append(f"{target.evaluate(DESCRIBE)} {box['height']:.0f}px")
    assert not small, f"under {MIN_TARGET}px high on {path}: {small}"
