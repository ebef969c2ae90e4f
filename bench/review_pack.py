"""Review pack bench: how long the pack PDF and each chart's SVG take to draw, for a review as the
API gives it (tests/reviews/pack_sample.py) and for a long one (180 previous actions, 30 sites,
24 months, 60 attendees), side by side. No database: the view is drawn as it is.

    .venv/bin/python -m bench.review_pack
"""

import statistics
import time
from collections.abc import Callable

from server.reviews import charts
from server.reviews.pack import pack_pdf
from tests.reviews.pack_sample import sample_view

RUNS = 7


def long_view() -> dict:
    """The sample review grown to what a big organization's year brings."""
    view = sample_view()
    inputs = view["inputs"]
    inputs["previous_actions"] *= 60
    inputs["objectives"] *= 10
    inputs["performance"]["audits"]["by_site"] *= 15
    inputs["performance"]["incidents"]["by_month"] = [
        {"month": f"{2025 + m // 12}-{m % 12 + 1:02d}", "injury": m % 3, "near_miss": m}
        for m in range(24)
    ]
    view["outputs"]["attendees"] *= 20
    view["outputs"]["actions"] *= 40
    return view


def median_ms(work: Callable[[], object]) -> float:
    """The median of RUNS timed calls after one untimed (fonts and caches warm), in ms."""
    work()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    views = {"sample": sample_view(), "long": long_view()}
    print(f"{'':30}{'sample':>12}{'long':>12}{'long / sample':>16}")
    rows = [("pack PDF", lambda v: pack_pdf(v))]
    rows += [(f"chart {name}.svg", lambda v, n=name: charts.svg(n, v)) for name in charts.CHARTS]
    for name, draw in rows:
        small = median_ms(lambda draw=draw: draw(views["sample"]))
        big = median_ms(lambda draw=draw: draw(views["long"]))
        print(f"{name:30}{small:10.1f} ms{big:10.1f} ms{big / small:15.1f}x")
    sizes = {key: len(pack_pdf(view)) for key, view in views.items()}
    print(f"{'pack size':30}{sizes['sample'] / 1024:9.0f} KiB{sizes['long'] / 1024:9.0f} KiB")


if __name__ == "__main__":
    main()
