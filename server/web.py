"""Static front ends: the PWA shell at / and the API docs' local assets."""

import hashlib
from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, Response, send_from_directory

PWA_ROOT = Path(__file__).resolve().parent.parent / "pwa"

blp = Blueprint("web", __name__)


@blp.get("/")
def index():
    """The PWA shell."""
    return send_from_directory(PWA_ROOT, "index.html", max_age=0)


@blp.get("/<any(js, css, icons, vendor):folder>/<path:filename>")
def pwa_asset(folder: str, filename: str):
    """A script, style, icon or vendored library of the PWA."""
    return send_from_directory(PWA_ROOT / folder, filename, max_age=0)


@blp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest."""
    return send_from_directory(
        PWA_ROOT, "manifest.webmanifest", max_age=0, mimetype="application/manifest+json"
    )


def shell_version() -> str:
    """A hash of every file of the PWA: any change gives the service worker a new cache."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PWA_ROOT.rglob("*") if p.is_file()):
        digest.update(path.relative_to(PWA_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@blp.get("/sw.js")
def service_worker():
    """The service worker, stamped with the shell version; at the root so its scope is the app."""
    source = (PWA_ROOT / "sw.js").read_text().replace("__SHELL_VERSION__", shell_version())
    return Response(source, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


@blp.get("/api/docs/assets/<path:filename>")
def docs_asset(filename: str):
    """Swagger UI, served from the installed package so the docs work on a closed network."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
