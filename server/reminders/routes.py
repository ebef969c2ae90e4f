"""/api/notifications: what I am told in the app (reminders), the badge's count, marking read."""

from http import HTTPStatus

from flask_smorest import Blueprint

from server.auth.access import current_actor, role_required
from server.reminders import services
from server.reminders.schemas import InboxFilterIn, InboxOut, MarkedOut, NotificationOut

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/notifications", description="Notifications"
)


@blp.get("")
@role_required()
@blp.arguments(InboxFilterIn, location="query")
@blp.response(200, InboxOut)
def list_notifications(filters):
    """My notifications, newest first, with how many are unread."""
    return services.inbox(current_actor(), **filters)


@blp.post("/<int:notification_id>/read")
@role_required()
@blp.response(200, NotificationOut)
@blp.alt_response(404, response=HTTPStatus(404).name)
def mark_read(notification_id: int):
    """Mark one of my notifications read."""
    return services.mark_read(current_actor(), notification_id)


@blp.post("/read")
@role_required()
@blp.response(200, MarkedOut)
def mark_all_read():
    """Mark all my notifications read."""
    actor = current_actor()
    return {"marked": services.mark_all_read(actor), "unread": services.unread_count(actor)}
