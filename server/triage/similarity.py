"""How alike two reports are, by place, time, wording and photos, with the reasons (no database)."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from PIL import Image

from server.triage import vocabulary as vocab
from server.triage.rules import read_report

EARTH_RADIUS_M = 6_371_000
# Reports observed further apart than this are never compared.
WINDOW = timedelta(hours=72)
# Two fixes this close (plus their stated accuracy, up to 150 m) are the same spot; past FAR_M
# (plus accuracy) they are different places on the same site.
NEAR_M = 50
FAR_M = 500
MAX_ACCURACY_ALLOWANCE_M = 150
# Difference hashes differing in at most this many of their 64 bits show the same scene.
PHOTO_MATCH_BITS = 10
# Pairs scoring at least this are suggested to an officer as possible duplicates.
LINK_SCORE = 0.45
# Weight of place when one report has no location: neither for nor against.
UNKNOWN_PLACE = 0.8


@dataclass(frozen=True)
class Profile:
    """What duplicate detection compares of a report."""

    pk: int
    observed_at: datetime
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    # Stem -> the word as first written, without words that carry no meaning.
    words: dict[str, str]
    # Photo SHA-256 -> difference hash (None when it could not be made).
    photos: dict[str, str | None] = field(default_factory=dict)


def profile(report, shas: list[str], photo_hashes: dict[str, str | None]) -> Profile:
    """The Profile of a report (or a row with the same names), its photos and their hashes."""
    return Profile(
        pk=report.pk,
        observed_at=report.observed_at,
        latitude=report.latitude,
        longitude=report.longitude,
        accuracy_m=report.accuracy_m,
        words=meaningful_words(report.description),
        photos={sha: photo_hashes.get(sha) for sha in shas},
    )


@lru_cache(maxsize=4096)
def _meaningful_words(description: str) -> tuple[tuple[str, str], ...]:
    words: dict[str, str] = {}
    for word in read_report(description):
        if word.surface not in vocab.STOPWORDS:
            words.setdefault(word.stem, word.surface)
    return tuple(words.items())


def meaningful_words(description: str) -> dict[str, str]:
    """Stems of a description's words, stop words left out, each with its first spelling."""
    # Cached: a report's words never change, and each is compared again as others arrive.
    return dict(_meaningful_words(description))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def dhash(image: Image.Image) -> str:
    """A 64-bit difference hash: is each of 8x8 cells brighter than its right-hand neighbour."""
    cells = image.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = cells[row * 9 + col], cells[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """How many bits two hex hashes differ in."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _span(delta: timedelta) -> str:
    minutes = abs(delta.total_seconds()) / 60
    if minutes < 90:
        return f"{round(minutes)} min"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} h"
    return f"{minutes / 1440:.1f} days"


def _distance(a: Profile, b: Profile) -> str:
    metres = haversine_m(a.latitude, a.longitude, b.latitude, b.longitude)
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.1f} km"


def place_factor(a: Profile, b: Profile) -> tuple[float, str]:
    """1 for the same spot, down to 0.3 for far apart; UNKNOWN_PLACE without a location."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return UNKNOWN_PLACE, "same site; no GPS position on one of them"
    metres = haversine_m(a.latitude, a.longitude, b.latitude, b.longitude)
    allowance = min((a.accuracy_m or 0) + (b.accuracy_m or 0), MAX_ACCURACY_ALLOWANCE_M)
    near, far = NEAR_M + allowance, FAR_M + allowance
    if metres <= near:
        return 1.0, f"same site, {_distance(a, b)} apart"
    if metres >= far:
        return 0.3, f"same site but {_distance(a, b)} apart"
    return 1.0 - 0.7 * (metres - near) / (far - near), f"same site, {_distance(a, b)} apart"


def word_similarity(a: dict[str, str], b: dict[str, str]) -> float:
    """Jaccard similarity of two word sets; a short report wholly inside a long one counts too."""
    if not a or not b:
        return 0.0
    shared = len(a.keys() & b.keys())
    jaccard = shared / len(a.keys() | b.keys())
    smaller = min(len(a), len(b))
    # "oil leak press 4" inside a longer account of the same leak; three words are too few.
    contained = shared / smaller if smaller >= 4 else 0.0
    return max(jaccard, 0.8 * contained) if contained >= 0.75 else jaccard


def _photo_match(a: Profile, b: Profile) -> tuple[int, str] | None:
    """The closest pair of photos across the two reports, if near-identical."""
    best = None
    for sha_a, hash_a in a.photos.items():
        for sha_b, hash_b in b.photos.items():
            if sha_a == sha_b:
                return 0, "the same photo"
            if hash_a and hash_b and (best is None or hamming(hash_a, hash_b) < best):
                best = hamming(hash_a, hash_b)
    if best is None or best > PHOTO_MATCH_BITS:
        return None
    return best, f"near-identical photo (hashes differ in {best} of 64 bits)"


def compare(a: Profile, b: Profile) -> tuple[float, list[str]]:
    """How likely b reports what a reports (0-1), and the reasons."""
    place, place_reason = place_factor(a, b)
    time = 1.0 - 0.4 * min(abs(a.observed_at - b.observed_at) / WINDOW, 1.0)
    reasons = [place_reason, f"observed {_span(a.observed_at - b.observed_at)} apart"]
    words = word_similarity(a.words, b.words)
    score = words * place * time
    if words > 0:
        shared = ", ".join(sorted(a.words[s] for s in a.words.keys() & b.words.keys())[:8])
        reasons.append(f"wording {words:.0%} alike: {shared}")
    photo = _photo_match(a, b)
    if photo is not None:
        bits, photo_reason = photo
        score = max(score, (1 - bits / 64) * time)
        reasons.append(photo_reason)
    return round(score, 3), reasons
