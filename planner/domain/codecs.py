"""Typed field codecs for the JSON plan format: encode values and validate decoded input."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal, InvalidOperation
from enum import Enum

from planner.domain.dates import FIRST_DATE, LAST_DATE, in_window


class DocumentError(ValueError):
    """Input that does not match the plan document format; the message names the path."""


class NotJson(DocumentError):
    """Bytes that are not a UTF-8 JSON document at all."""


class DateOutOfRange(DocumentError):
    """A date outside the planner's window; `where` and `day` let each interface word it for its user."""

    def __init__(self, where: str, day: dt.date):
        self.where, self.day = where, day
        super().__init__(f"{where}: {day.isoformat()} lies outside the dates the planner accepts "
                         f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})")


# Far deeper than any document the planner writes (a snapshot nests a few levels per gate passed),
# and far from the interpreter's recursion limit that json and the code reading a document share.
MAX_JSON_DEPTH = 400


def read_json(raw: bytes):
    """Decode an uploaded JSON document; DocumentError when it is not UTF-8 JSON or is nested too deeply."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotJson("not a JSON document (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise NotJson(f"not a JSON document ({exc})") from None
    except RecursionError:
        raise DocumentError(f"document: nested more than {MAX_JSON_DEPTH} levels deep") from None
    level, pending = 0, [document]
    while pending:  # breadth first, without recursion
        level += 1
        if level > MAX_JSON_DEPTH:
            raise DocumentError(f"document: nested more than {MAX_JSON_DEPTH} levels deep")
        pending = [child for value in pending if isinstance(value, (dict, list))
                   for child in (value.values() if isinstance(value, dict) else value)
                   if isinstance(child, (dict, list))]
    return document


def check_window(day: dt.date, where: str) -> dt.date:
    """Return `day`, or raise DateOutOfRange naming `where`."""
    if not in_window(day):
        raise DateOutOfRange(where, day.date() if isinstance(day, dt.datetime) else day)
    return day


class Codec:
    nullable = False

    def encode(self, value):
        return value

    def decode(self, value, path: str):
        if value is None:
            if self.nullable:
                return None
            raise DocumentError(f"{path}: a value is required")
        return self.parse(value, path)

    def parse(self, value, path):  # pragma: no cover - overridden
        raise NotImplementedError

    def optional(self) -> "Codec":
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.nullable = True
        return clone


def _control_free(text: str) -> bool:
    return all(ch in "\n\t" or ord(ch) >= 32 for ch in text)


class Text(Codec):
    def __init__(self, max_length: int = 20_000, required: bool = False):
        self.max_length, self.required = max_length, required

    def parse(self, value, path):
        if not isinstance(value, str):
            raise DocumentError(f"{path}: expected text")
        if len(value) > self.max_length:
            raise DocumentError(f"{path}: longer than {self.max_length} characters")
        if self.required and not value.strip():
            raise DocumentError(f"{path}: must not be empty")
        if not _control_free(value.replace("\r", "")):
            raise DocumentError(f"{path}: contains control characters")
        return value


class Integer(Codec):
    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum

    def parse(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            raise DocumentError(f"{path}: expected a whole number")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise DocumentError(f"{path}: must be between {self.minimum} and {self.maximum}")
        return value


class Colour(Codec):
    def parse(self, value, path):
        import re

        if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise DocumentError(f"{path}: expected a colour such as #154273")
        return value.lower()


class Base64Bytes(Codec):
    def __init__(self, max_bytes: int = 1024 * 1024):
        self.max_bytes = max_bytes

    def encode(self, value):
        import base64

        return None if value is None else base64.b64encode(value).decode("ascii")

    def parse(self, value, path):
        import base64
        import binascii

        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise DocumentError(f"{path}: expected base64 data") from None
        if len(data) > self.max_bytes:
            raise DocumentError(f"{path}: larger than {self.max_bytes} bytes")
        return data


class Logo(Base64Bytes):
    """A logo, checked exactly as the web upload checks it."""

    def parse(self, value, path):
        from planner.domain.logos import LogoError, check_logo

        data = super().parse(value, path)
        try:
            check_logo(data)
        except LogoError as exc:
            raise DocumentError(f"{path}: {exc}") from None
        return data


class Json(Codec):
    """A nested JSON object kept as it is (a plan snapshot)."""

    def parse(self, value, path):
        if not isinstance(value, dict):
            raise DocumentError(f"{path}: expected an object")
        return value


class Boolean(Codec):
    def parse(self, value, path):
        if not isinstance(value, bool):
            raise DocumentError(f"{path}: expected true or false")
        return value


class Money(Codec):
    def encode(self, value):
        return None if value is None else f"{value:.2f}"

    def parse(self, value, path):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise DocumentError(f"{path}: expected an amount such as \"1250.00\"") from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            raise DocumentError(f"{path}: amount out of range")
        return amount.quantize(Decimal("0.01"))


class Date(Codec):
    def encode(self, value):
        return None if value is None else value.isoformat()

    def parse(self, value, path):
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise DocumentError(f"{path}: expected a date as YYYY-MM-DD") from None
        return check_window(day, path)


class Time(Codec):
    def encode(self, value):
        return None if value is None else value.isoformat(timespec="minutes")

    def parse(self, value, path):
        try:
            return dt.time.fromisoformat(value)
        except (TypeError, ValueError):
            raise DocumentError(f"{path}: expected a time as HH:MM") from None


class Instant(Codec):
    def encode(self, value):
        return None if value is None else value.astimezone(dt.timezone.utc).isoformat()

    def parse(self, value, path):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise DocumentError(f"{path}: expected an ISO 8601 timestamp") from None
        if parsed.tzinfo is None:
            raise DocumentError(f"{path}: timestamp needs a UTC offset")
        check_window(parsed.replace(tzinfo=None), path)  # before converting: near year 1 or 9999 that overflows
        return parsed.astimezone(dt.timezone.utc)


class Uuid(Codec):
    def encode(self, value):
        return None if value is None else str(value)

    def parse(self, value, path):
        try:
            return uuid.UUID(value)
        except (TypeError, ValueError, AttributeError):
            raise DocumentError(f"{path}: expected a UUID") from None


class Choice(Codec):
    def __init__(self, enum_cls: type[Enum]):
        self.enum_cls = enum_cls

    def encode(self, value):
        return None if value is None else value.value

    def parse(self, value, path):
        try:
            return self.enum_cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in self.enum_cls)
            raise DocumentError(f"{path}: {value!r} is not one of {allowed}") from None


class TextList(Codec):
    def __init__(self, max_items: int = 50, max_length: int = 16):
        self.item = Text(max_length, required=True)
        self.max_items = max_items

    def encode(self, value):
        return list(value or [])

    def parse(self, value, path):
        if not isinstance(value, list) or len(value) > self.max_items:
            raise DocumentError(f"{path}: expected a list of at most {self.max_items} texts")
        return [self.item.decode(v, f"{path}[{i}]") for i, v in enumerate(value)]
