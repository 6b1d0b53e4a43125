"""Long-query benchmark: a 2,000-character query of 400 unknown words against a usual two-word one.

"Did you mean", query parsing, synonyms and highlighting each do work per word; the promise is
that a query of 400 unknown words costs at most twice a normal query. For each catalog size this
builds a fresh generated SQLite catalog (``bench/common.py``), warms up, then times the queries
in turn through ``search_courses`` and as ``GET /courses?q=...`` (server time, no network),
and prints p50 / p95 in ms and the ratio of the long query's p50 to the others'.

    .venv/bin/python bench/long_query.py [--sizes 1000,10000] [--runs 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode

from common import generated_catalog, percentile
from werkzeug.datastructures import MultiDict

from catalog.extensions import db
from catalog.search import SearchParams, search_courses

NORMAL_QUERY = "mlflow pipeline"
#: A usual query with a typo: the one "did you mean" has work to do for.
MISSPELT_QUERY = "kubernets pipeline"
#: 400 made-up four-letter words (1,999 characters): each is a "did you mean" candidate.
LONG_QUERY = " ".join(
    "".join(random.Random(index).choices("bcdfghjklmnpqrstvwxz", k=4)) for index in range(400)
)
QUERIES = {
    "normal (2 words)": NORMAL_QUERY,
    "2 words, 1 misspelt": MISSPELT_QUERY,
    "400 unknown words": LONG_QUERY,
}


def time_alternately(runs: int, warm_up: int, one: Callable[[str], None]) -> dict[str, list[float]]:
    """Milliseconds per call of ``one`` for each query, the two interleaved so both see the same
    machine load."""
    for _ in range(warm_up):
        for text in QUERIES.values():
            one(text)
    timings: dict[str, list[float]] = {label: [] for label in QUERIES}
    for _ in range(runs):
        for label, text in QUERIES.items():
            started = time.perf_counter()
            one(text)
            timings[label].append((time.perf_counter() - started) * 1000)
    return timings


def bench_size(size: int, runs: int, warm_up: int, seed: int) -> dict[str, dict[str, list[float]]]:
    """Both queries timed through the service and the page on a fresh catalog of ``size`` courses."""
    with generated_catalog(size, seed) as (app, _summary, _seconds):

        def service(text: str) -> None:
            search_courses(db.session, SearchParams.from_args(MultiDict({"q": text})))
            db.session.remove()

        client = app.test_client()

        def page(text: str) -> None:
            response = client.get("/courses?" + urlencode({"q": text}))
            if response.status_code != 200:
                raise RuntimeError(f"GET /courses for {text[:20]!r}… answered {response.status_code}")

        return {
            "service": time_alternately(runs, warm_up, service),
            "page": time_alternately(runs, warm_up, page),
        }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalog sizes (courses)")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per query, service and page")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed calls per query first")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    options = parser.parse_args(argv)
    print(f"\nLong query vs normal query, ms over {options.runs} runs each (SQLite, fresh catalog per size)")
    for size in (int(s) for s in options.sizes.split(",") if s.strip()):
        print(f"Benchmarking {size} courses ...", file=sys.stderr, flush=True)
        results = bench_size(size, options.runs, options.warm_up, options.seed)
        print(f"\n{size} courses")
        print(f"  {'':<8} {'query':<20} {'p50':>8} {'p95':>8}")
        for where, timings in results.items():
            for label, values in timings.items():
                p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
                print(f"  {where:<8} {label:<20} {p50:8.1f} {p95:8.1f}")
            normal, misspelt, long_query = (percentile(values, 0.5) for values in timings.values())
            print(f"  {where:<8} {'long / normal, p50':<20} {long_query / normal:8.2f}")
            print(f"  {where:<8} {'long / misspelt, p50':<20} {long_query / misspelt:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
