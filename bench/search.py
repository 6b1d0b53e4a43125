"""Search benchmark: p50 and p95 of the search service and of the ``/courses`` page, per catalog size.

For each size it builds a fresh SQLite database in a temporary folder, migrates it, generates that
many courses (``catalog.data.generator``), warms up, then runs a fixed mix of searches round
robin, first through ``search_courses`` directly, then as ``GET /courses?...`` through the Flask test
client (server time: routing, search, template; no network). See bench/README.md.

    .venv/bin/python bench/search.py [--sizes 1000,10000] [--runs 200] [--seed 1] [--per-query]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from common import generated_catalog, percentile
from flask import Flask
from jinja2 import TemplateNotFound
from werkzeug.datastructures import MultiDict

from catalog.extensions import db
from catalog.search import SearchParams, search_courses

SEARCH_TEMPLATE = "public/course_search.html"

#: The mix, as query-string arguments; each is run as often as the others.
QUERIES: tuple[tuple[str, dict[str, object]], ...] = (
    ("empty query, default sort", {}),
    ("kubernetes", {"q": "kubernetes"}),
    ("mlflow pipeline", {"q": "mlflow pipeline"}),
    ("k8s (synonym)", {"q": "k8s"}),
    ("kubernets (misspelt)", {"q": "kubernets"}),
    ("kube (typed, no space)", {"q": "kube"}),
    ("pipel (prefix)", {"q": "pipel"}),
    ("docker + topic + area", {"q": "docker", "topic": "containers", "area": "hitec-city"}),
    ("filters only", {"format": "bootcamp", "placement": "yes", "language": "Telugu"}),
    ("sort by fee", {"sort": "fee"}),
    ("pipeline, page 3", {"q": "pipeline", "page": "3"}),
)


@dataclass
class Timings:
    """Milliseconds per run, overall and per query of the mix."""

    all: list[float] = field(default_factory=list)
    by_query: dict[str, list[float]] = field(default_factory=dict)

    def add(self, label: str, milliseconds: float) -> None:
        self.all.append(milliseconds)
        self.by_query.setdefault(label, []).append(milliseconds)


def run_mix(runs: int, warm_up: int, one: Callable[[str, dict[str, object]], None]) -> Timings:
    """Call ``one`` for the whole mix ``warm_up`` times untimed, then ``runs`` times round robin."""
    for _ in range(warm_up):
        for label, args in QUERIES:
            one(label, args)
    timings = Timings()
    for index in range(runs):
        label, args = QUERIES[index % len(QUERIES)]
        started = time.perf_counter()
        one(label, args)
        timings.add(label, (time.perf_counter() - started) * 1000)
    return timings


def time_service(runs: int, warm_up: int) -> tuple[Timings, dict[str, int]]:
    """Time ``search_courses``, each call in a fresh session as a request would get."""
    totals: dict[str, int] = {}

    def one(label: str, args: dict[str, object]) -> None:
        result = search_courses(db.session, SearchParams.from_args(MultiDict(args)))
        totals[label] = result.total
        db.session.remove()

    return run_mix(runs, warm_up, one), totals


class PageUnavailable(RuntimeError):
    """The search page cannot be timed (no template yet, or it does not answer 200)."""


def time_page(app: Flask, runs: int, warm_up: int) -> Timings:
    """Time ``GET /courses?...`` through the test client."""
    try:
        app.jinja_env.get_template(SEARCH_TEMPLATE)
    except TemplateNotFound:
        raise PageUnavailable(f"template {SEARCH_TEMPLATE} does not exist yet") from None
    client = app.test_client()

    def one(label: str, args: dict[str, object]) -> None:
        response = client.get("/courses?" + urlencode(args, doseq=True))
        if response.status_code != 200:
            raise PageUnavailable(f"GET /courses for {label!r} answered {response.status_code}")

    return run_mix(runs, warm_up, one)


@dataclass
class SizeResult:
    size: int
    generate_seconds: float
    summary: str
    service: Timings
    totals: dict[str, int]
    page: Timings | None
    page_problem: str | None


def bench_size(size: int, runs: int, warm_up: int, seed: int) -> SizeResult:
    """Build a fresh catalog of ``size`` courses and time the mix against it."""
    with generated_catalog(size, seed) as (app, summary, generate_seconds):
        service, totals = time_service(runs, warm_up)
        page, problem = None, None
        try:
            page = time_page(app, runs, warm_up)
        except PageUnavailable as error:
            problem = str(error)
    return SizeResult(size, generate_seconds, summary, service, totals, page, problem)


def _figures(timings: Timings | None) -> str:
    if timings is None:
        return f"{'-':>8} {'-':>8}"
    return f"{percentile(timings.all, 0.5):8.1f} {percentile(timings.all, 0.95):8.1f}"


def print_report(results: list[SizeResult], runs: int, per_query: bool) -> None:
    """The summary table, any skipped page timings, and optionally per-query medians."""
    print(f"\nSearch timings in ms over {runs} runs per size (SQLite, fresh catalog per size)\n")
    print(f"{'courses':>8} {'generate s':>10} | {'service':^17} | {'page':^17}")
    print(f"{'':>8} {'':>10} | {'p50':>8} {'p95':>8} | {'p50':>8} {'p95':>8}")
    for result in results:
        print(
            f"{result.size:>8} {result.generate_seconds:>10.1f} | {_figures(result.service)} | "
            f"{_figures(result.page)}"
        )
    for result in results:
        if result.page_problem:
            print(f"\nPage timing skipped at {result.size} courses: {result.page_problem}.")
    if per_query:
        for result in results:
            print(f"\n{result.size} courses: {result.summary}")
            print(f"  {'query':<28} {'matches':>8} {'service p50':>12} {'page p50':>9}")
            for label, _args in QUERIES:
                page = result.page.by_query.get(label) if result.page else None
                page_text = f"{percentile(page, 0.5):9.1f}" if page else f"{'-':>9}"
                print(
                    f"  {label:<28} {result.totals.get(label, 0):>8} "
                    f"{percentile(result.service.by_query[label], 0.5):12.1f} {page_text}"
                )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the exit status is 1 when a page answered an error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalog sizes (courses)")
    parser.add_argument("--runs", type=int, default=200, help="timed searches per size, round robin")
    parser.add_argument("--warm-up", type=int, default=2, help="untimed passes over the mix first")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--per-query", action="store_true", help="also print medians per query")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    results = []
    for size in sizes:
        print(f"Benchmarking {size} courses ...", file=sys.stderr, flush=True)
        results.append(bench_size(size, options.runs, options.warm_up, options.seed))
    print_report(results, options.runs, options.per_query)
    failed = any(r.page_problem and "answered" in r.page_problem for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
