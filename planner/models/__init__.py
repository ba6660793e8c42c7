"""The ORM models, one module per aggregate."""

from planner.models.account import LoginAttempt, PasswordReset, User, UserSession
from planner.models.api_key import ApiKey
from planner.models.activity import Activity, activity_audiences
from planner.models.audit import AuditEntry
from planner.models.audience import Audience, audience_intermediaries
from planner.models.calendar import Observance, SchoolHoliday
from planner.models.channel import Channel
from planner.models.checklist import ChecklistItem, Phase
from planner.models.decision import Decision, Observation
from planner.models.feed import FeedTombstone, Subscription
from planner.models.message import KeyMessage, MessageTranslation, MessageVersion
from planner.models.moment import Embargo, Moment
from planner.models.organisation import Organisation
from planner.models.partner import ContactPerson, Partner
from planner.models.plan import Plan
from planner.models.reminder import Reminder
from planner.models.search import SearchDocument
from planner.models.security import SecurityEvent
from planner.models.snapshot import PlanSnapshot
from planner.models.trash import UndoEntry

__all__ = [
    "Activity", "ApiKey", "AuditEntry", "Audience", "Channel", "ChecklistItem", "ContactPerson", "Decision", "Embargo",
    "KeyMessage", "MessageTranslation", "MessageVersion", "Moment", "Observance", "Observation",
    "FeedTombstone", "LoginAttempt", "PasswordReset", "User", "UserSession", "Organisation", "Partner", "Phase", "Plan", "PlanSnapshot", "Reminder", "SchoolHoliday", "SearchDocument", "SecurityEvent", "Subscription", "UndoEntry", "activity_audiences", "audience_intermediaries",
]
