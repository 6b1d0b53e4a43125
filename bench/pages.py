"""Public page benchmark: p50 and p95 per public page type, per catalog size.

For each size it builds a fresh SQLite database in a temporary folder, migrates it, generates that
many courses (``catalog.data.generator``), picks real slugs from it (public courses, approved
institutes, topics), warms up, then times ``--runs`` requests per page type through the Flask test
client, round robin over that type's addresses (server time: routing, queries, template; no network).
Every response must be 200, otherwise the script stops with the address and status. See bench/README.md.

    .venv/bin/python bench/pages.py [--sizes 1000,10000] [--runs 200] [--seed 1] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from common import generated_catalog, percentile
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalog.extensions import db
from catalog.models import Course, Institute, Topic

#: How many different slugs each detail page type rotates through.
SLUGS_PER_TYPE = 8

#: 400 made-up four-letter words (1,999 characters): each is a "did you mean" candidate.
LONG_QUERY = " ".join(
    "".join(random.Random(index).choices("bcdfghjklmnpqrstvwxz", k=4)) for index in range(400)
)

#: The search mix on ``/courses``, as (label, query-string arguments).
SEARCH_MIX: tuple[tuple[str, dict[str, str]], ...] = (
    ("q=kubernetes", {"q": "kubernetes"}),
    ("q=mlflow weekend", {"q": "mlflow weekend"}),
    ("topic + mode=online", {"topic": "containers", "mode": "online"}),
    ("q=docker + schedule + area", {"q": "docker", "schedule": "weekend", "area": "hitec-city"}),
    ("sort=fee", {"sort": "fee"}),
    ("page=3", {"page": "3"}),
    ("q=kuberntes (misspelt)", {"q": "kuberntes"}),
    ("q=400 unknown words", {"q": LONG_QUERY}),
)


#: What the search box's suggestions are timed with: common and rare prefixes, a synonym,
#: two words, and a prefix frequent in descriptions but rare in titles.
SUGGEST_MIX = ("ku", "kube", "ml", "mlflow", "k8", "model ser", "lear", "zz")


@dataclass
class Timings:
    """Milliseconds per request, overall and per address label."""

    all: list[float] = field(default_factory=list)
    by_label: dict[str, list[float]] = field(default_factory=dict)


def pick(slugs: list[str], count: int = SLUGS_PER_TYPE) -> list[str]:
    """``count`` slugs spread evenly over the list (all of them when there are fewer)."""
    if not slugs:
        raise RuntimeError("the generated catalog has no public records of a page type")
    step = max(1, len(slugs) // count)
    return slugs[::step][:count]


def page_addresses() -> dict[str, list[tuple[str, str]]]:
    """(label, address) per page type, with slugs read from the generated database."""
    session = db.session
    courses = session.scalars(select(Course.slug).where(Course.public_condition()).order_by(Course.id))
    institutes = session.scalars(select(Institute.slug).where(Institute.is_public).order_by(Institute.id))
    topics = session.scalars(select(Topic.slug).order_by(Topic.id))
    course_slugs = pick(list(courses))
    addresses = {
        "home": [("/", "/")],
        "search mix": [(label, "/courses?" + urlencode(args)) for label, args in SEARCH_MIX],
        "course": [(slug, f"/courses/{slug}") for slug in course_slugs],
        "institutes": [("/institutes", "/institutes")],
        "institute": [(slug, f"/institutes/{slug}") for slug in pick(list(institutes))],
        "topic": [(slug, f"/topics/{slug}") for slug in pick(list(topics))],
        "events": [("/events", "/events")],
        "compare": [
            (f"{len(group)} courses", "/compare?" + urlencode([("c", slug) for slug in group]))
            for group in (course_slugs[:2], course_slugs[2:5], course_slugs[4:8])
        ],
        "insights": [("/insights", "/insights")],
        "suggestions": [(typed, "/search/suggestions?" + urlencode({"q": typed})) for typed in SUGGEST_MIX],
    }
    session.remove()
    return addresses


def get_ok(client: FlaskClient, address: str) -> None:
    """GET ``address``; anything but 200 stops the benchmark."""
    response = client.get(address)
    if response.status_code != 200:
        raise SystemExit(f"GET {address[:120]} answered {response.status_code}, not 200")


def time_pages(app: Flask, runs: int, warm_up: int) -> dict[str, Timings]:
    """Warm every address up, then ``runs`` timed requests per page type, round robin."""
    client = app.test_client()
    results: dict[str, Timings] = {}
    for page_type, addresses in page_addresses().items():
        for _ in range(warm_up):
            for _label, address in addresses:
                get_ok(client, address)
        timings = results[page_type] = Timings()
        for index in range(runs):
            label, address = addresses[index % len(addresses)]
            started = time.perf_counter()
            get_ok(client, address)
            elapsed = (time.perf_counter() - started) * 1000
            timings.all.append(elapsed)
            timings.by_label.setdefault(label, []).append(elapsed)
    return results


@dataclass
class SizeResult:
    size: int
    generate_seconds: float
    summary: str
    pages: dict[str, Timings]


def bench_size(size: int, runs: int, warm_up: int, seed: int) -> SizeResult:
    """Build a fresh catalog of ``size`` courses and time every page type against it."""
    with generated_catalog(size, seed) as (app, summary, generate_seconds):
        pages = time_pages(app, runs, warm_up)
    return SizeResult(size, generate_seconds, summary, pages)


def _row(name: str, cells: list[list[float]]) -> str:
    return name + "".join(f" | {percentile(c, 0.5):8.1f} {percentile(c, 0.95):8.1f}" for c in cells)


def print_report(results: list[SizeResult], runs: int) -> None:
    """p50/p95 per page type and size, then per query of the search mix."""
    print(f"\nPublic page timings in ms, {runs} requests per page type (SQLite, fresh catalog per size)\n")
    print(f"{'page type':<12}" + "".join(f" | {f'{r.size} courses':^17}" for r in results))
    print(f"{'':<12}" + " | {:>8} {:>8}".format("p50", "p95") * len(results))
    for page_type in results[0].pages:
        print(_row(f"{page_type:<12}", [r.pages[page_type].all for r in results]))
    print("\nSearch mix, p50 / p95 per query (ms):")
    for label, _args in SEARCH_MIX:
        print(_row(f"  {label:<28}", [r.pages["search mix"].by_label[label] for r in results]))
    for result in results:
        print(f"\n{result.size} courses: {result.summary} Generated in {result.generate_seconds:.1f} s.")


def as_json(results: list[SizeResult], runs: int) -> dict[str, object]:
    """The figures as plain data: per size, per page type (and per search query) p50/p95 in ms."""

    def figures(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2)}

    return {
        "runs": runs,
        "sizes": {
            str(r.size): {
                "generate_seconds": round(r.generate_seconds, 2),
                "pages": {name: figures(t.all) for name, t in r.pages.items()},
                "search_queries": {k: figures(v) for k, v in r.pages["search mix"].by_label.items()},
            }
            for r in results
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; stops with a message when a page answers anything but 200."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalog sizes (courses)")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per page type and size")
    parser.add_argument("--warm-up", type=int, default=2, help="untimed passes over every address first")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures to this file")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    results = []
    for size in sizes:
        print(f"Benchmarking {size} courses ...", file=sys.stderr, flush=True)
        results.append(bench_size(size, options.runs, options.warm_up, options.seed))
    print_report(results, options.runs)
    if options.json:
        options.json.write_text(json.dumps(as_json(results, options.runs), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
