"""Bench the photo derivatives on a 12-megapixel phone photo: ours, a naive pipeline, a bare decode.

Run: .venv/bin/python -m bench.photo_pipeline [runs]

Times are medians of interleaved runs in one process. Peak memory is the peak RSS of a fresh
process per variant (Pillow allocates image buffers with malloc, outside tracemalloc's view; the
script shows tracemalloc's figure next to it to make that visible).

Then hostile files (small files that decode to huge images, padding): what the upload does with
them (its checks, then derivatives only when accepted) beside a naive Image.open().load(), each
once in a fresh process, with the naive/ours ratios of time and of peak RSS over the start.
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

from server.errors import problem_type
from server.exceptions import DomainError
from server.media import formats, imaging
from server.media.services import DEFAULT_MAX_PIXELS
from tests.media import images
from tests.media.images import big_jpeg

RUNS = 15
# The endpoint's checks before decoding (timed on their own, as "inspect").
_checked = functools.cache(formats.inspect)
GOAL_VS_NAIVE = 4.0
GOAL_VS_BARE = 1.3
# PHOTO_DECODE_MEMORY_MB's default, in bytes.
DECODE_BUDGET = 256 * 2**20
# name -> (bytes, declared type), made when the section runs.
HOSTILE: dict[str, Callable[[], tuple[bytes, str]]] = {
    "lossless WebP 7000x7000": lambda: (images.webp_bomb(7000, 7000), formats.WEBP),
    "RGBA PNG 7000x7000": lambda: (images.rgba_png_bomb(7000), formats.PNG),
    "progressive JPEG claims 7000x7000": lambda: (
        images.progressive_jpeg_declaring(7000, 7000),
        formats.JPEG,
    ),
    "JPEG + 19 MB of fill bytes": lambda: (images.jpeg_padded(19 * 2**20), formats.JPEG),
    "JPEG + 60 KB APP9 payload": lambda: (
        images.jpeg_with_segment(0xE9, bytes(60_000)),
        formats.JPEG,
    ),
    "gray JPEG 7000x7000 (a real one)": lambda: (images.big_gray_jpeg(7000), formats.JPEG),
}


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


def hardened(source: Path, out: Path, declared: str) -> str:
    """What PUT /api/photos does with received bytes: its checks, then derivatives if accepted."""
    try:
        info = formats.inspect(source, declared)
        imaging.check_pixels(info, DEFAULT_MAX_PIXELS)
        imaging.check_decode_memory(info, DECODE_BUDGET)
        imaging.render_derivatives(source, info, out / "h-display.jpg", out / "h-thumb.jpg")
    except DomainError as error:
        return f"{problem_type(error).status} {error.detail}"
    return "accepted"


def naive_load(source: Path, out: Path, declared: str) -> str:
    """Decode the whole image, as a pipeline without checks starts."""
    try:
        with Image.open(source) as image:
            image.load()
    except Exception as error:  # noqa: BLE001 (what a naive pipeline meets is the finding)
        return f"{type(error).__name__}: {error}"
    return "decoded"


HOSTILE_VARIANTS = {"ours": hardened, "naive": naive_load}


def _hostile_in_child(variant: str, source: str, declared: str, out: str, answer) -> None:
    """In a fresh process: outcome, milliseconds and peak RSS over the start (KiB) of one run."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    outcome = HOSTILE_VARIANTS[variant](Path(source), Path(out), declared)
    elapsed = (time.perf_counter() - start) * 1000
    answer.send((outcome, elapsed, _status_kib("VmHWM") - before))


def _hostile_run(variant: str, source: Path, declared: str, out: Path) -> tuple[str, float, int]:
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_hostile_in_child, args=(variant, str(source), declared, str(out), send)
    )
    child.start()
    result = receive.recv()
    child.join()
    return result


def hostile_section(out: Path) -> None:
    """Ours beside a naive full decode on each hostile file, and the naive/ours ratios."""
    print(f"\nhostile files: ours = the upload's checks (decode budget {DECODE_BUDGET >> 20} MiB)")
    print("then derivatives if accepted; naive = Image.open().load(); one run each, fresh process")
    print(f"{'file':<35}{'KB':>9}{'ours ms':>9}{'MiB':>7}{'naive ms':>10}{'MiB':>7}", end="")
    print(f"{'time x':>8}{'mem x':>8}  ours says")
    for name, make in HOSTILE.items():
        data, declared = make()
        source = out / "hostile"
        source.write_bytes(data)
        ours, ours_ms, ours_kib = _hostile_run("ours", source, declared, out)
        naive, naive_ms, naive_kib = _hostile_run("naive", source, declared, out)
        # Memory over the start, at least 1 MiB, so a refusal that allocates nothing stays finite.
        memory = max(naive_kib, 1024) / max(ours_kib, 1024)
        print(f"{name:<35}{len(data) / 1000:>9,.0f}{ours_ms:>9.1f}{ours_kib / 1024:>7.0f}", end="")
        print(f"{naive_ms:>10.0f}{naive_kib / 1024:>7.0f}{naive_ms / ours_ms:>8.0f}", end="")
        print(f"{memory:>8.0f}  {ours[:60]}")
        if not naive.startswith("decoded"):
            print(f"{'':<35}naive: {naive[:80]}")


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
        hostile_section(out)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
