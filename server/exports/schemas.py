"""What the export endpoints take and give."""

import marshmallow as ma

from server.validation import Day, Id, QueryId


class PeriodIn(ma.Schema):
    """A period of days, both inclusive, and one site or all of the caller's."""

    start = Day(
        required=True,
        data_key="from",
        metadata={"description": "The first day, YYYY-MM-DD (in each site's time zone)"},
    )
    end = Day(
        required=True,
        data_key="to",
        metadata={"description": "The last day, YYYY-MM-DD, inclusive"},
    )
    site_id = QueryId(metadata={"description": "One site (default: every site of yours)"})


class BundleIn(ma.Schema):
    """The evidence bundle to build: a period and, if wanted, one site."""

    start = Day(required=True, data_key="from", metadata={"description": "The first day"})
    end = Day(required=True, data_key="to", metadata={"description": "The last day, inclusive"})
    site_id = Id(allow_none=True, load_default=None)


class BundleProgressOut(ma.Schema):
    done = ma.fields.Integer(metadata={"description": "Files written so far"})
    total = ma.fields.Integer(metadata={"description": "Files the bundle will hold"})


class BundleOut(ma.Schema):
    """An evidence bundle built by a job, and where to download it once ready."""

    id = ma.fields.UUID()
    status = ma.fields.String(
        metadata={"description": "queued, building, ready, failed or expired"}
    )
    progress = ma.fields.Nested(BundleProgressOut)
    download_url = ma.fields.String(
        allow_none=True, metadata={"description": "Set once the bundle is ready"}
    )
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")
    site_id = ma.fields.Integer(allow_none=True)
    size_bytes = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String(
        allow_none=True, metadata={"description": "SHA-256 of the whole zip file"}
    )
    error = ma.fields.String(allow_none=True)
    requested_at = ma.fields.AwareDateTime()
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    expires_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the file is deleted"}
    )
