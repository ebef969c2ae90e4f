"""Static front ends: the PWA shell at / and the API docs' local assets."""

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, send_from_directory

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


@blp.get("/<any('sw.js', 'manifest.webmanifest'):filename>")
def pwa_root_file(filename: str):
    """The service worker and manifest, which must live at the root of the app's scope."""
    return send_from_directory(PWA_ROOT, filename, max_age=0)


@blp.get("/api/docs/assets/<path:filename>")
def docs_asset(filename: str):
    """Swagger UI, served from the installed package so the docs work on a closed network."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
