"""Growing delays after failed logins, per address and per account from that address; never a lock.

Two counters, both kept in the database so that every web worker sees them:

* per (account, address): after ACCOUNT_FREE failures for one e-mail address from one client
  address, the next attempt from there waits FIRST_DELAY, then twice as long after each further
  failure, at most MAX_DELAY. Someone guessing one account slows only themselves down: the
  owner, from another address, logs in as usual. A successful login clears this counter.
* per address: after ADDRESS_FREE failures from one address within ADDRESS_WINDOW, whatever the
  account, the same growing delays apply to that address, against guessing many accounts.

There is deliberately no delay per account across addresses: that would be a lock that any
outsider can set off. A request that comes too early is refused without looking at the
password, so waiting is never a way to learn anything. Reset requests do not count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner.models import LoginAttempt

ACCOUNT_FREE = 3
ACCOUNT_WINDOW = dt.timedelta(hours=24)
ADDRESS_FREE = 30
ADDRESS_WINDOW = dt.timedelta(hours=1)
FIRST_DELAY = dt.timedelta(seconds=2)
MAX_DELAY = dt.timedelta(minutes=15)


def client_key(address: str) -> str:
    """The address a counter is kept for: an IPv6 client counts as its /64 network (one connection's share)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "-")[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_hash(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()


def delay_after(failures: int, free: int) -> dt.timedelta:
    """How long to wait after the last of `failures` failures (nothing before `free`)."""
    if failures < free:
        return dt.timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def _remaining(session: Session, condition, free: int, window: dt.timedelta, now: dt.datetime) -> dt.timedelta:
    count, last = session.execute(sa.select(sa.func.count(), sa.func.max(LoginAttempt.at))
                                  .where(condition, LoginAttempt.at >= now - window)).one()
    if not count or last is None:
        return dt.timedelta(0)
    return max(last + delay_after(count, free) - now, dt.timedelta(0))


def seconds_to_wait(session: Session, address: str, email: str, now: dt.datetime) -> int:
    """Whole seconds before the next login attempt for `email` from `address` may be checked (0: now)."""
    key = client_key(address)
    remaining = max(
        _remaining(session, sa.and_(LoginAttempt.address == key, LoginAttempt.account_hash == account_hash(email)),
                   ACCOUNT_FREE, ACCOUNT_WINDOW, now),
        _remaining(session, LoginAttempt.address == key, ADDRESS_FREE, ADDRESS_WINDOW, now))
    return math.ceil(remaining.total_seconds())


def count_failure(session: Session, address: str, email: str, now: dt.datetime) -> None:
    session.add(LoginAttempt(address=client_key(address), account_hash=account_hash(email), at=now))
    session.flush()


def clear_account(session: Session, address: str, email: str) -> None:
    """After a successful login: this account's failures from this address no longer count."""
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.address == client_key(address),
                                                  LoginAttempt.account_hash == account_hash(email)))


def purge_failures(session: Session, now: dt.datetime) -> int:
    return session.execute(sa.delete(LoginAttempt).where(
        LoginAttempt.at < now - max(ACCOUNT_WINDOW, ADDRESS_WINDOW))).rowcount
