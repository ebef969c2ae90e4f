"""Photo output."""

import marshmallow as ma


class PhotoOut(ma.Schema):
    sha256 = ma.fields.String(metadata={"description": "SHA-256 of the original bytes, hex"})
    content_type = ma.fields.String(metadata={"description": "Detected from the bytes"})
    size_bytes = ma.fields.Integer()
    width = ma.fields.Integer(
        metadata={"description": "As seen upright (EXIF orientation applied)"}
    )
    height = ma.fields.Integer(
        metadata={"description": "As seen upright (EXIF orientation applied)"}
    )
