"""/api/documents: controlled documents, their revisions, approval and acknowledgements."""

from flask_smorest import Blueprint

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/documents",
    description="Controlled documents: revisions, approval, read-and-understood (ISO 7.5)",
)
