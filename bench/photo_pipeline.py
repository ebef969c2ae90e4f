"""Bench the photo derivatives on a 12-megapixel phone photo: ours, a naive pipeline, a bare decode.

Run: .venv/bin/python -m bench.photo_pipeline [runs]

Times are medians of interleaved runs in one process. Peak memory is the peak RSS of a fresh
process per variant (Pillow allocates image buffers with malloc, outside tracemalloc's view; the
script shows tracemalloc's figure next to it to make that visible).
"""

import functools
import math
import multiprocessing
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat

from server.media import formats, imaging
from tests.media.images import big_jpeg

RUNS = 15
# The endpoint's checks before decoding (timed on their own, as "inspect").
_checked = functools.cache(formats.inspect)
GOAL_VS_NAIVE = 4.0
GOAL_VS_BARE = 1.3


def ours(source: Path, out: Path) -> None:
    """What PUT /api/photos does after its checks: decode through both derivatives saved."""
    imaging.render_derivatives(source, _checked(source), out / "display.jpg", out / "thumb.jpg")


def naive(source: Path, out: Path) -> None:
    """Full decode, EXIF transpose, both sizes from the full image with LANCZOS."""
    with Image.open(source) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
    for edge, name in ((imaging.DISPLAY_EDGE, "display"), (imaging.THUMB_EDGE, "thumb")):
        resized = upright.resize(imaging.fit(upright.size, edge), Image.Resampling.LANCZOS)
        resized.save(out / f"naive-{name}.jpg", "JPEG", quality=imaging.JPEG_QUALITY)


def bare(source: Path, out: Path) -> None:
    """Only the draft decode our pipeline starts with, to the same target."""
    with Image.open(source) as image:
        image.draft("RGB", imaging.fit(image.size, imaging.DISPLAY_EDGE))
        image.load()


def inspect_only(source: Path, out: Path) -> None:
    """The structure walk the endpoint runs before decoding (reported, not in 'ours')."""
    formats.inspect(source)


VARIANTS: dict[str, Callable[[Path, Path], None]] = {
    "ours": ours,
    "naive": naive,
    "bare": bare,
    "inspect": inspect_only,
}


def _medians(source: Path, out: Path, runs: int) -> dict[str, float]:
    """Median milliseconds per variant, runs interleaved so drift hits all alike."""
    for run in VARIANTS.values():  # warm up: imports, plugin init, page cache
        run(source, out)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(runs):
        for name, run in VARIANTS.items():
            start = time.perf_counter()
            run(source, out)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def _status_kib(field: str) -> int:
    """A memory figure of this process from /proc (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def _peak_in_child(name: str, source: str, out: str, answer) -> None:
    """In a fresh process: RSS before and peak RSS during one run, and tracemalloc's peak."""
    # ru_maxrss survives fork and exec, so it would report the parent's peak: use VmHWM, and
    # reset it to the current RSS first (writing 5 to clear_refs does that).
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    tracemalloc.start()
    VARIANTS[name](Path(source), Path(out))
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    answer.send((before, _status_kib("VmHWM"), traced))


def _peaks(source: Path, out: Path) -> dict[str, tuple[int, int, int]]:
    """(RSS at start KiB, peak RSS KiB, tracemalloc peak bytes) per variant, each in its process."""
    context = multiprocessing.get_context("spawn")
    peaks = {}
    for name in VARIANTS:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_peak_in_child, args=(name, str(source), str(out), send))
        child.start()
        peaks[name] = receive.recv()
        child.join()
    return peaks


def _outputs(out: Path) -> str:
    """Sizes of the derivatives, and how close ours is to the naive (full-resolution) display."""
    sizes = []
    for name in ("display", "thumb", "naive-display", "naive-thumb"):
        with Image.open(out / f"{name}.jpg") as image:
            kib = (out / f"{name}.jpg").stat().st_size / 1024
            sizes.append(f"{name} {image.size[0]}x{image.size[1]} {kib:.0f} KiB")
    with Image.open(out / "display.jpg") as ours_, Image.open(out / "naive-display.jpg") as naive_:
        diff = ImageChops.difference(ours_.convert("RGB"), naive_.convert("RGB"))
    mse = sum(band**2 for band in ImageStat.Stat(diff).rms) / 3
    psnr = 10 * math.log10(255**2 / mse)
    return f"{'; '.join(sizes)}\nPSNR of our display vs the naive one: {psnr:.1f} dB"


def _report(medians: dict[str, float], peaks: dict[str, tuple[int, int, int]]) -> None:
    """Print the table and the two ratios against their goals."""
    print(f"{'variant':<9}{'median ms':>11}{'peak RSS MiB':>14}{'(+ over start)':>16}", end="")
    print(f"{'tracemalloc MiB':>17}")
    for name, ms in medians.items():
        start, peak, traced = peaks[name]
        print(f"{name:<9}{ms:>11.1f}{peak / 1024:>14.1f}{(peak - start) / 1024:>16.1f}", end="")
        print(f"{traced / 2**20:>17.2f}")
    vs_naive, vs_bare = medians["naive"] / medians["ours"], medians["ours"] / medians["bare"]
    met = {True: "met", False: "NOT met"}
    print(
        f"naive/ours = {vs_naive:.2f}x (goal >= {GOAL_VS_NAIVE}x: {met[vs_naive >= GOAL_VS_NAIVE]})"
    )
    print(f"ours/bare  = {vs_bare:.2f}x (goal <= {GOAL_VS_BARE}x: {met[vs_bare <= GOAL_VS_BARE]})")


def main(runs: int = RUNS) -> None:
    """Make the photo, time the variants, measure their memory, print the comparison."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        source = out / "photo.jpg"
        source.write_bytes(big_jpeg())
        with Image.open(source) as image:
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            print(
                f"source: {image.size[0]}x{image.size[1]} JPEG, EXIF orientation {orientation}, "
                f"{source.stat().st_size / 1e6:.2f} MB; Pillow {Image.__version__}; "
                f"median of {runs} interleaved runs"
            )
        medians = _medians(source, out, runs)
        peaks = _peaks(source, out)
        print(f"outputs: {_outputs(out)}")
    _report(medians, peaks)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
