"""Enumerations of the domain; labels are English msgids translated by the web layer."""

from __future__ import annotations

import enum


def N_(message: str) -> str:
    """Mark a string for extraction into the translation catalogue; translate it later."""
    return message


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a translatable label."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class OrganisationKind(LabelledEnum):
    MUNICIPALITY = "municipality", N_("Municipality")
    REGION = "region", N_("Region")
    PARTNER = "partner", N_("Partner organisation")


class SchoolRegion(LabelledEnum):
    NORTH = "noord", N_("North")
    MIDDLE = "midden", N_("Middle")
    SOUTH = "zuid", N_("South")


class PlanStatus(LabelledEnum):
    DRAFT = "draft", N_("Draft")
    AWAITING_APPROVAL = "awaiting_approval", N_("Awaiting approval")
    APPROVED = "approved", N_("Approved")
    IN_PROGRESS = "in_progress", N_("Under way")  # not the checklist's "in progress": another word in Dutch too
    COMPLETED = "completed", N_("Completed")


class PhaseKey(LabelledEnum):
    INITIATIVE = "initiative", N_("Initiative")
    PREPARATION = "preparation", N_("Preparation")
    EXECUTION = "execution", N_("Execution")


class AudienceCategory(LabelledEnum):
    GENERAL_PUBLIC = "general_public", N_("General public")
    SPECIFIC_GROUP = "specific_group", N_("Specific audience")
    PROFESSIONALS = "professionals", N_("Professionals")
    FIELD = "field", N_("Field / internal")


class Intensity(LabelledEnum):
    """How intensively an audience is approached (stappenplan, step 2)."""

    INFORM = "inform", N_("Inform")
    CONSULT = "consult", N_("Consult")
    INVOLVE = "involve", N_("Involve")
    COLLABORATE = "collaborate", N_("Collaborate")


class ChannelKind(LabelledEnum):
    LETTER = "letter", N_("Letter")
    LEAFLET = "leaflet", N_("Leaflet / brochure")
    PRESS_RELEASE = "press_release", N_("Press release")
    ADVERTISEMENT = "advertisement", N_("Advertisement")
    POSTER = "poster", N_("Poster")
    INFORMATION_MEETING = "information_meeting", N_("Information meeting")
    EMAIL_WEBSITE = "email_website", N_("E-mail / website")
    LOCAL_MEDIA = "local_media", N_("Local media")
    NEWSLETTER = "newsletter", N_("Newsletter")
    OPEN_DAY = "open_day", N_("Open day")
    PRESENTATION = "presentation", N_("Presentation in a team meeting")
    SOCIAL_MEDIA = "social_media", N_("Social media")
    OTHER = "other", N_("Other")


class ActivityStatus(LabelledEnum):
    PLANNED = "planned", N_("Planned")
    IN_PRODUCTION = "in_production", N_("In production")
    READY = "ready", N_("Ready")
    DONE = "done", N_("Done")
    CANCELLED = "cancelled", N_("Cancelled")


class Reach(LabelledEnum):
    """Whether an activity addresses people inside or outside the organisations."""

    EXTERNAL = "external", N_("External")
    INTERNAL = "internal", N_("Internal")


class Level(LabelledEnum):
    REGIONAL = "regional", N_("Regional")
    LOCAL = "local", N_("Local")


class MomentKind(LabelledEnum):
    OBSERVANCE = "observance", N_("Observance / theme week")
    MILESTONE = "milestone", N_("Plan milestone")
    CAMPAIGN = "campaign", N_("National campaign")
    MEETING = "meeting", N_("Meeting / council")
    OTHER = "other", N_("Other")


class DecisionKind(LabelledEnum):
    ALIGNMENT = "alignment", N_("Alignment")
    APPROVAL = "approval", N_("Approval")


class DecisionStatus(LabelledEnum):
    PLANNED = "planned", N_("Planned")
    DONE = "done", N_("Done")


class ObservationKind(LabelledEnum):
    REACH = "reach", N_("Reach")
    REACTION = "reaction", N_("Reaction")
    QUESTION = "question", N_("Question")
    ADJUSTMENT = "adjustment", N_("Adjustment")


class ChecklistStatus(LabelledEnum):
    OPEN = "open", N_("Open")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Done")
    NOT_APPLICABLE = "not_applicable", N_("Not applicable")


class OffsetUnit(LabelledEnum):
    DAYS = "days", N_("days")
    WORKING_DAYS = "working_days", N_("working days")


class MomentEdge(LabelledEnum):
    START = "start", N_("start")
    END = "end", N_("end")


class Severity(LabelledEnum):
    ERROR = "error", N_("Error")
    WARNING = "warning", N_("Warning")


class FeedScope(LabelledEnum):
    PLAN = "plan", N_("Whole plan")
    PARTNER = "partner", N_("One partner")
    AUDIENCE = "audience", N_("One audience")
    PERSON = "person", N_("One person (owner)")
    FILTER = "filter", N_("Saved calendar filter")
    REGION = "region", N_("Regional calendar")


class Role(LabelledEnum):
    ADMINISTRATOR = "administrator", N_("Administrator")
    ADVISOR = "advisor", N_("Advisor")
    COORDINATOR = "coordinator", N_("Coordinator")
    READER = "reader", N_("Reader")


class DigestMode(LabelledEnum):
    DAILY = "daily", N_("Every working day")
    WEEKLY = "weekly", N_("Mondays only")
    OFF = "off", N_("No reminder e-mails")


class ReminderKind(LabelledEnum):
    DIGEST = "digest", N_("Reminder digest")
    COORDINATOR_SUMMARY = "coordinator_summary", N_("Weekly summary for coordinators")
    PASSWORD_RESET = "password_reset", N_("Link to choose a new password")


class DeliveryStatus(LabelledEnum):
    PENDING = "pending", N_("Waiting to be sent")
    SENDING = "sending", N_("Being sent")
    SENT = "sent", N_("Sent")
    FAILED = "failed", N_("Failed")
    SUPERSEDED = "superseded", N_("Replaced by a newer reminder")
    EMPTY = "empty", N_("Nothing to report")


class SecurityEventKind(LabelledEnum):
    LOGIN = "login", N_("Login")
    LOGIN_FAILED = "login_failed", N_("Failed login")
    LOGIN_DELAYED = "login_delayed", N_("Logins delayed after failures")
    LOGOUT = "logout", N_("Logout")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", N_("New password requested")
    PASSWORD_RESET = "password_reset", N_("Password reset by e-mail link")
    PASSWORD_CHANGED = "password_changed", N_("Password changed")
    USER_CREATED = "user_created", N_("User created")
    USER_DISABLED = "user_disabled", N_("User disabled")
    USER_ENABLED = "user_enabled", N_("User enabled again")
    ROLE_CHANGED = "role_changed", N_("Role changed")
    ORGANISATION_CHANGED = "organisation_changed", N_("Organisation changed")
    PRIVACY_EXPORT = "privacy_export", N_("Personal data exported (AVG)")
    PRIVACY_ERASE = "privacy_erase", N_("Personal data erased (AVG)")
    FEED_ROTATED = "feed_rotated", N_("Feed link replaced")
    FEED_REVOKED = "feed_revoked", N_("Feed link revoked")
    API_KEY_CREATED = "api_key_created", N_("API key created")
    API_KEY_REVOKED = "api_key_revoked", N_("API key revoked")
    API_KEY_REFUSED = "api_key_refused", N_("API key refused (revoked or expired)")
    API_KEY_RATE_LIMITED = "api_key_rate_limited", N_("API key slowed down (too many requests)")


class ApiScope(LabelledEnum):
    READ = "read", N_("Read")
    READ_WRITE = "read_write", N_("Read and write")
