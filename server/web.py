"""Static front ends: the PWA shell at / and the API docs page with its local assets."""

import hashlib
from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, Response, render_template, send_from_directory, url_for

from server.headers import policy

PWA_ROOT = Path(__file__).resolve().parent.parent / "pwa"
DOCS_ROOT = Path(__file__).resolve().parent / "docs"
DOCS_ASSETS = "/api/docs/assets/"
# Swagger UI draws its icons from data: images and shows no blob: previews.
DOCS_POLICY = policy(**{"img-src": "'self' data:"})

blp = Blueprint("web", __name__, template_folder="docs")


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


def docs_page(title: str, spec_url: str, assets: str) -> Response:
    """The Swagger UI page for the API document (assets: Swagger UI's URL), under its own policy."""
    start_url = url_for("web.docs_start")
    html = render_template(
        "api_docs.html", title=title, spec_url=spec_url, assets=assets, start_url=start_url
    )
    return Response(html, mimetype="text/html", headers={"Content-Security-Policy": DOCS_POLICY})


@blp.get("/api/docs/start.js")
def docs_start():
    """The script that starts Swagger UI on the docs page."""
    return send_from_directory(DOCS_ROOT, "start.js", max_age=0, mimetype="text/javascript")


@blp.get(f"{DOCS_ASSETS}<path:filename>")
def docs_asset(filename: str):
    """Swagger UI, served from the installed package so the docs work on a closed network."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
