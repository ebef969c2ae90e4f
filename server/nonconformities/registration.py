"""What nonconformities hand the ground and the reports below them: two record types (and the
effectiveness check's photos), the "actions" sync list, the "action" feed, and the NC section
of every report."""

from server.nonconformities.actions import action_changes
from server.nonconformities.models import Action, Nonconformity
from server.nonconformities.reading import report_sections
from server.nonconformities.records import ACTION_TYPE, CHECK_TYPE, NC_TYPE, nc_scope
from server.nonconformities.schemas import ActionChangeOut, ReportNonconformityOut
from server.nonconformities.sync import sync_actions
from server.records.registry import RecordType, register_record_type
from server.reports.services import Section, add_section
from server.sync.registry import FeedSource, SyncList, register_feed_source, register_sync_list


def register() -> None:
    """Make NCs and actions known to the ground; the app factory calls this once per app."""
    register_record_type(RecordType(NC_TYPE, Nonconformity, nc_scope))
    register_record_type(RecordType(CHECK_TYPE, Nonconformity, nc_scope))
    # Actor.scope: the owner sees their own actions, officers and admins those of their sites.
    register_record_type(RecordType(ACTION_TYPE, Action))
    register_sync_list(
        SyncList(
            "actions",
            sync_actions,
            "Done updates of actions, each as PATCH /api/actions/{id}'s body with the id",
        )
    )
    register_feed_source(FeedSource(ACTION_TYPE, action_changes, ActionChangeOut()))
    # A worker sees on their own report that an NC was raised, and its status.
    add_section(
        Section(
            "nonconformity",
            report_sections,
            ReportNonconformityOut(),
            report_sections,
            ReportNonconformityOut(),
        )
    )
