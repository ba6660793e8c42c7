"""The observance catalogue and school holidays: view a year, edit entries, import newer school years."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner import clock
from planner.domain import observances as catalogue
from planner.domain.codecs import DateOutOfRange, DocumentError, NotJson, read_json
from planner.domain.dates import FIRST_DATE, LAST_DATE
from planner.domain.school_holidays import import_school_holidays, known_school_years
from planner.enums import SchoolRegion
from planner.models import Observance, Organisation
from planner.web.auth import admin_required
from planner.web.database import get_session
from planner.web.dates import refused_upload, year_arg
from planner.web.forms.fields import empty_choice, row_choices
from planner.web.forms.observances import ObservanceForm, SchoolHolidayImportForm

bp = Blueprint("observances", __name__, url_prefix="/observances")
MAX_IMPORT_BYTES = 2 * 1024 * 1024


@bp.get("/")
def index():
    session, year = get_session(), year_arg("year") or clock.today().year
    region = request.args.get("region") or None
    region = SchoolRegion(region) if region in {r.value for r in SchoolRegion} else None
    return render_template(
        "observances/index.html", year=year, region=region, regions=list(SchoolRegion),
        first_year=FIRST_DATE.year, last_year=LAST_DATE.year,
        occurrences=catalogue.year_calendar(session, year, region=region),
        definitions=catalogue.catalogue(session), school_years=known_school_years(session),
        import_form=SchoolHolidayImportForm(),
    )


def _form(definition=None) -> ObservanceForm:
    form = ObservanceForm()
    organisations = get_session().scalars(sa.select(Organisation).order_by(Organisation.name))
    form.organisation_id.choices = empty_choice(row_choices(organisations))
    if definition is not None and not form.is_submitted():
        form.load(definition)
    return form


def _save(form: ObservanceForm, row: Observance | None) -> Observance:
    session = get_session()
    row = row or Observance(key=form.key.data)
    row.name, row.rule, row.source = form.name.data, form.rule(), form.source.data or ""
    row.overrides, row.organisation_id = form.parsed_overrides, form.organisation_id.data
    session.add(row)
    return row


def _existing_row(key: str, organisation_id: int | None) -> Observance | None:
    query = sa.select(Observance).where(Observance.key == key)
    query = query.where(Observance.organisation_id.is_(None) if organisation_id is None
                        else Observance.organisation_id == organisation_id)
    return get_session().scalar(query)


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    form = _form()
    if form.validate_on_submit():
        shipped = {d.key for d in catalogue.shipped_catalogue()}
        if form.key.data in shipped or _existing_row(form.key.data, form.organisation_id.data):
            form.key.errors.append(_("This key is already in the catalogue; edit that entry instead."))
        else:
            _save(form, None)
            get_session().commit()
            flash(_("Observance added."), "success")
            return redirect(url_for("observances.index"))
    return render_template("observances/form.html", form=form, definition=None)


@bp.route("/<key>/edit", methods=["GET", "POST"])
@admin_required
def edit(key: str):
    definition = catalogue.find(get_session(), key)
    if definition is None:
        abort(404)
    form = _form(definition)
    form.key.data = key
    if form.validate_on_submit():
        _save(form, _existing_row(key, form.organisation_id.data))
        get_session().commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("observances.index"))
    return render_template("observances/form.html", form=form, definition=definition)


@bp.post("/school-holidays")
@admin_required
def import_holidays():
    form = SchoolHolidayImportForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "error")
        return redirect(url_for("observances.index"))
    raw = form.file.data.read(MAX_IMPORT_BYTES + 1)
    try:
        if len(raw) > MAX_IMPORT_BYTES:
            raise DocumentError(_("The file is larger than 2 MB."))
        years = import_school_holidays(get_session(), read_json(raw))
    except NotJson:
        get_session().rollback()
        flash(_("This is not a JSON file of the school holidays open data. Nothing was imported."), "error")
    except DateOutOfRange as exc:
        get_session().rollback()
        flash(refused_upload(exc), "error")
    except DocumentError as exc:
        get_session().rollback()
        flash(_("The file does not match the school holidays open data (%(reason)s). Nothing was imported.",
                reason=str(exc)), "error")
    else:
        get_session().commit()
        flash(_("School holidays imported for %(years)s.", years=", ".join(years)), "success")
    return redirect(url_for("observances.index"))
