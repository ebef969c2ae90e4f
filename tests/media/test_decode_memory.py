"""Decoding memory per upload is bounded: ingesting a bomb costs no more than a small photo.

Memory is measured, not timed: each upload runs in a process of its own (ingest_peak.py) and its
peak RSS comes from resource.getrusage.
"""

import json
import subprocess
import sys
from pathlib import Path

from tests.factories import PASSWORD, make_organization, make_user
from tests.media import images

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024  # ru_maxrss is in KiB
# What an upload may cost over a small photo's: well under the default decoding budget (256 MiB),
# and far under what the bombs below took before (about 450 to 750 MiB).
BOUND_KIB = 96 * MiB


def _ingest_peaks(app, files: dict[str, tuple[bytes, str]], folder: Path) -> dict[str, dict]:
    """Upload each file in a process of its own; name -> {"status", "peak_kib"}."""
    email = make_user(make_organization()).email
    specs = []
    for name, (data, content_type) in files.items():
        (folder / name).write_bytes(data)
        specs.append(f"{folder / name}:{content_type}")
    keys = ("SQLALCHEMY_DATABASE_URI", "MEDIA_ROOT", "SECRET_KEY", "RATELIMIT_STORAGE_URI")
    settings = json.dumps({**{key: app.config[key] for key in keys}, "REDIS_URL": None})
    done = subprocess.run(
        [sys.executable, "-m", "tests.media.ingest_peak", settings, email, PASSWORD, *specs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return {line["file"]: line for line in lines}


def test_bombs_are_ingested_within_a_memory_bound(app, tmp_path):
    files = {
        "control.jpg": (images.jpeg((800, 600)), "image/jpeg"),
        "bomb.webp": (images.webp_bomb(7000, 7000), "image/webp"),
        "bomb.png": (images.rgba_png_bomb(7000), "image/png"),
        "bomb.jpg": (images.progressive_jpeg_declaring(7000, 7000), "image/jpeg"),
        # 49 megapixels of JPEG, accepted: it decodes at a quarter of its size.
        "big.jpg": (images.big_gray_jpeg(7000), "image/jpeg"),
    }
    peaks = _ingest_peaks(app, files, tmp_path)
    control = peaks["control.jpg"]["peak_kib"]
    over = {name: peak["peak_kib"] - control for name, peak in peaks.items()}
    assert all(kib < BOUND_KIB for kib in over.values()), f"KiB over the control: {over}"
    assert {name: peak["status"] for name, peak in peaks.items()} == {
        "control.jpg": 201,
        "bomb.webp": 422,
        "bomb.png": 422,
        "bomb.jpg": 422,
        "big.jpg": 201,
    }
