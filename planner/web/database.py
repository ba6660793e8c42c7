"""One SQLAlchemy session per request; the view commits, teardown closes."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from planner.db import make_engine, make_session_factory


def init_database(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["planner.engine"] = engine
    app.extensions["planner.sessionmaker"] = make_session_factory(engine)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["planner.sessionmaker"]()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
