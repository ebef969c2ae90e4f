"""/api/photos: content-addressed photo upload."""

from flask_smorest import Blueprint

blp = Blueprint("photos", __name__, url_prefix="/api/photos", description="Photos")
