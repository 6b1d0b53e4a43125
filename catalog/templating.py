"""Template filters and globals: Indian money, durations, local dates, safe Markdown, labels."""

from __future__ import annotations

from datetime import date, datetime

import markdown as markdown_lib
import nh3
from flask import Flask
from markupsafe import Markup

from catalog.models.contacts import format_phone
from catalog.models.labels import label
from catalog.timeutil import local_today, to_local

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "h3", "h4", "a", "br"}


def format_inr(amount: int | None) -> str:
    """Rupees with Indian digit grouping: 150000 -> "₹1,50,000"; 0 -> "Free"."""
    if amount is None:
        return ""
    if amount == 0:
        return "Free"
    digits = str(abs(amount))
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return "₹" + ",".join([*groups, tail])


def format_duration(days: int) -> str:
    """A course length as people say it: "2 days", "6 weeks", "4 months", "12 months"."""
    if days < 14:
        return f"{days} day" if days == 1 else f"{days} days"
    if days < 84:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    months = round(days / 30.4)
    return f"{months} months"


def format_date(value: date | datetime | None, pattern: str = "%-d %b %Y") -> str:
    """A date (or a UTC datetime, shown in Asia/Kolkata) like "3 Dec 2026"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime(pattern)


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, sanitised: only harmless tags survive, links get rel=nofollow."""
    html = markdown_lib.markdown(text or "", extensions=[], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, link_rel="nofollow noopener")
    return Markup(clean)  # nosec B704 # nh3 has removed every tag and attribute not allowed


def register(app: Flask) -> None:
    """Make the helpers available to every template."""
    app.add_template_filter(format_inr, "inr")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_date, "day")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(label, "label")
    app.add_template_filter(format_phone, "phone")
    app.add_template_global(local_today, "local_today")
