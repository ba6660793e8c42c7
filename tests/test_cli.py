import json

import pytest

from planner import clock
from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG
from planner.domain.transfer import export_plan
from tests.factories import build_plan


def test_demo_twice_then_list_as_json(cli):
    assert "demo plans created" in cli("demo").output
    assert "already present" in cli("demo").output
    rows = json.loads(cli("plans", "list", "--json").output)
    assert {row["slug"] for row in rows} == {REGIONAL_SLUG, MUNICIPAL_SLUG}
    assert all(row["activities"] >= 20 for row in rows)


def test_export_then_import_into_an_empty_database_round_trips(cli, backend, tmp_path):
    cli("demo")
    first = tmp_path / "plan.json"
    result = cli("export", "json", REGIONAL_SLUG, "-o", str(first))
    assert result.exit_code == 0, result.output

    empty = backend.empty_url()
    assert "database at revision" in cli("db", "upgrade", url=empty).output
    assert cli("import", "json", str(first), url=empty).output.strip() == f"imported plan {REGIONAL_SLUG}"
    second = cli("export", "json", REGIONAL_SLUG, url=empty).output
    assert second == first.read_text(encoding="utf-8")


def test_import_of_a_broken_file_says_why_and_imports_nothing(cli, backend, tmp_path):
    cli("demo")
    document = json.loads(cli("export", "json", MUNICIPAL_SLUG).output)
    document["activities"][0]["starts_on"] = "gisteren"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    empty = backend.empty_url()
    cli("db", "upgrade", url=empty)
    result = cli("import", "json", str(path), url=empty)
    assert result.exit_code == 1
    assert "activities[0].starts_on: expected a date as YYYY-MM-DD; nothing was imported" in result.output
    assert json.loads(cli("plans", "list", "--json", url=empty).output) == []

    document["activities"][0]["starts_on"] = "2026-09-15"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli("import", "json", str(path), url=empty).exit_code == 0
    assert "already exists" in cli("import", "json", str(path), url=empty).output

    path.write_text("{not json", encoding="utf-8")
    assert "not a JSON document" in cli("import", "json", str(path), url=empty).output


def test_import_json_date_in_year_9999_is_refused_and_imports_nothing(cli, session, tmp_path):
    document = export_plan(build_plan(session))
    session.rollback()
    path = tmp_path / "plan.json"
    document["activities"][0]["starts_on"] = "9999-12-31"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import", "json", str(path))
    assert result.exit_code == 1
    assert ("activities[0].starts_on: 9999-12-31 lies outside the dates the planner accepts "
            "(1900-01-01 to 2200-12-31); nothing was imported") in result.output
    assert json.loads(cli("plans", "list", "--json").output) == []

    document["activities"][0]["starts_on"] = "2200-12-31"
    document["plan"].update(starts_on="1900-01-01", ends_on="2200-12-31")
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli("import", "json", str(path)).exit_code == 0
    assert [(p["starts_on"], p["ends_on"]) for p in json.loads(cli("plans", "list", "--json").output)] == [
        ("1900-01-01", "2200-12-31")]


def test_unknown_slug_is_a_clear_error(cli):
    result = cli("export", "json", "bestaat-niet")
    assert result.exit_code == 1
    assert "no plan with slug 'bestaat-niet'" in result.output


def test_commands_on_an_unmigrated_database_say_what_to_do(cli, backend):
    result = cli("plans", "list", url=backend.empty_url())
    assert result.exit_code == 1
    assert "run `planner db upgrade` first" in result.output


def test_check_exits_1_on_an_error_and_reports_json(cli):
    cli("demo")
    result = cli("check", REGIONAL_SLUG, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"] == 1
    embargo = next(f for f in report["findings"] if f["code"] == "embargo")
    plan = json.loads(cli("export", "json", REGIONAL_SLUG).output)
    conflict = next(a for a in plan["activities"] if a["title"] == "Vooraankondiging in de lokale krant")
    assert embargo["date"] == conflict["starts_on"] and "Vooraankondiging" in embargo["message"]
    clean = cli("check", MUNICIPAL_SLUG, "--date", clock.today().isoformat())
    assert clean.exit_code == 0
    assert "0 errors" in clean.output


@pytest.mark.parametrize("day", [None, pytest.param("2027-06-01", marks=pytest.mark.today("2027-06-01")),
                                 pytest.param("2030-01-15", marks=pytest.mark.today("2030-01-15"))])
def test_demo_then_check_shows_only_the_intended_findings(cli, day):
    assert clock.today().isoformat() == (day or clock.today().isoformat())
    assert "demo plans created" in cli("demo").output
    found = {}
    for slug in (REGIONAL_SLUG, MUNICIPAL_SLUG):
        report = json.loads(cli("check", slug, "--json").output)
        found[slug] = sorted((f["severity"], f["code"]) for f in report["findings"])
    assert found == {REGIONAL_SLUG: [("error", "embargo"), ("warning", "production_late"), ("warning", "week_load")],
                     MUNICIPAL_SLUG: [("warning", "week_load")]}


def test_observances_for_a_year(cli):
    rows = json.loads(cli("observances", "--year", "2027", "--json").output)
    week = next(r for r in rows if r["key"] == "week-tegen-kindermishandeling")
    assert (week["starts_on"], week["ends_on"]) == ("2027-11-15", "2027-11-21")
    assert any(r["name"] == "Koningsdag" and r["starts_on"] == "2027-04-27" for r in rows)
    assert "Week tegen Kindermishandeling" in cli("observances", "--year", "2026").output


def test_school_holidays_import(cli, tmp_path):
    path = tmp_path / "schoolvakanties.json"
    path.write_text(json.dumps({"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie",
                    "regions": [{"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "2031-01-05"}]}]}]}))
    assert cli("school-holidays", "import", str(path)).output.strip() == "imported school years: 2030-2031"
    assert "2030-2031" in cli("school-holidays", "list").output
    path.write_text('{"content": []}')
    result = cli("school-holidays", "import", str(path))
    assert result.exit_code == 1 and "nothing was imported" in result.output


def test_school_holidays_import_date_outside_window_is_refused(cli, tmp_path):
    path = tmp_path / "schoolvakanties.json"
    path.write_text(json.dumps({"content": [{"schoolyear": "2030-2031", "vacations": [{"type": "kerstvakantie",
                    "regions": [{"region": "heel Nederland", "startdate": "2030-12-21", "enddate": "9999-12-31"}]}]}]}))
    result = cli("school-holidays", "import", str(path))
    assert result.exit_code == 1
    assert "9999-12-31 lies outside the dates the planner accepts" in result.output
    assert "nothing was imported" in result.output
    assert "2030-2031" not in cli("school-holidays", "list").output


def test_feed_links_from_the_command_line(cli):
    cli("demo")
    result = cli("feeds", "create", REGIONAL_SLUG, "--partner", "ggd gelderland-midden", "--label", "GGD - Outlook")
    assert result.exit_code == 0
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:5000/feeds/") and url.endswith(".ics") and len(url) < 256
    rows = json.loads(cli("feeds", "list", "--json").output)
    assert [(r["label"], r["scope"], r["target"], r["revoked"]) for r in rows] == [
        ("GGD - Outlook", "partner", "GGD Gelderland-Midden", False)]
    assert url.split("/")[-1] not in cli("feeds", "list").output
    assert cli("feeds", "revoke", rows[0]["id"]).exit_code == 0
    assert json.loads(cli("feeds", "list", "--json").output)[0]["revoked"] is True
    assert cli("feeds", "purge").output.strip() == "0 old cancellation records removed"
    bad = cli("feeds", "create", REGIONAL_SLUG, "--partner", "Onbekend", "--label", "x")
    assert bad.exit_code == 1 and "no partner 'Onbekend'" in bad.output


def test_export_documents(cli, tmp_path):
    cli("demo")
    for fmt in ("docx", "odt"):
        target = tmp_path / f"plan.{fmt}"
        assert cli("export", fmt, MUNICIPAL_SLUG, "-o", str(target)).exit_code == 0
        assert target.stat().st_size > 10_000
    result = cli("export", "partner", MUNICIPAL_SLUG, "--partner", "bibliotheek arnhem", "-o", str(tmp_path / "p.docx"))
    assert result.exit_code == 0 and (tmp_path / "p.docx").exists()


def test_exports_go_to_the_export_folder_by_default(cli, tmp_path, monkeypatch):
    cli("demo")
    monkeypatch.setenv("PLANNER_EXPORT_DIR", str(tmp_path / "uit"))
    assert cli("export", "odt", MUNICIPAL_SLUG).exit_code == 0
    assert (tmp_path / "uit" / f"{MUNICIPAL_SLUG}.odt").stat().st_size > 10_000


def test_pdf_without_libreoffice_says_how_to_install_it(cli, tmp_path, monkeypatch):
    cli("demo")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = cli("export", "pdf", MUNICIPAL_SLUG, "-o", str(tmp_path / "plan.pdf"))
    assert result.exit_code == 1 and "apt-get install libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "plan.pdf").exists(), "never a broken file"


def test_copy_and_overview_from_the_command_line(cli):
    cli("demo")
    year = json.loads(cli("export", "json", MUNICIPAL_SLUG).output)["plan"]["ends_on"][:4]
    copy = f"week-tegen-kindermishandeling-{int(year) + 1}-arnhem"
    assert cli("plans", "copy", MUNICIPAL_SLUG, "--year", str(int(year) + 1)).output.strip() == f"created plan {copy}"
    groups = json.loads(cli("overview", "--date", clock.today().isoformat(), "--json").output)
    rows = groups["Regio Arnhem-Achterhoek"]
    assert {r["slug"] for r in rows} == {REGIONAL_SLUG, MUNICIPAL_SLUG, copy}
    regional_row = next(r for r in rows if r["slug"] == REGIONAL_SLUG)
    assert regional_row["errors"] == 1 and regional_row["progress_initiative"] == "6/6"
    one = json.loads(cli("overview", "--region", "regio arnhem-achterhoek", "--json").output)
    assert list(one) == ["Regio Arnhem-Achterhoek"]
    assert cli("overview", "--region", "Nergens").exit_code == 1


def test_users_from_the_command_line(cli):
    demo = cli("demo").output
    assert "adviseur@arnhem.example" in demo and "demo-wachtwoord-2026" in demo
    assert cli("users", "create", "nieuw@arnhem.example", "--org", "gemeente arnhem", "--role", "reader",
               input="kort\n").exit_code == 1
    result = cli("users", "create", "Nieuw@Arnhem.example", "--org", "gemeente arnhem", "--role", "reader",
                 input="een-heel-lang-wachtwoord\n")
    assert result.exit_code == 0 and "nieuw@arnhem.example" in result.output
    rows = {r["email"]: r for r in json.loads(cli("users", "list", "--json").output)}
    assert rows["nieuw@arnhem.example"]["role"] == "reader" and rows["nieuw@arnhem.example"]["active"]
    assert "een-heel-lang-wachtwoord" not in cli("users", "list", "--json").output
    assert cli("users", "set-password", "nieuw@arnhem.example", input="nog-een-lang-wachtwoord\n").exit_code == 0
    assert cli("users", "disable", "nieuw@arnhem.example").exit_code == 0
    rows = {r["email"]: r for r in json.loads(cli("users", "list", "--json").output)}
    assert rows["nieuw@arnhem.example"]["active"] is False
    assert cli("users", "disable", "niemand@x.example").exit_code == 1


def test_privacy_export_and_erase(cli, db_url, tmp_path):
    from planner.db import make_engine, make_session_factory
    from planner.domain.plans import get_plan
    from planner.models import ContactPerson
    from planner.web.pdf_cache import PdfCache

    cli("demo")
    engine = make_engine(db_url)
    session = make_session_factory(engine)()
    plan = get_plan(session, MUNICIPAL_SLUG)
    plan.partners[0].contacts.append(ContactPerson(name="Piet Jansen", email="piet@example.nl", phone="0611111111"))
    session.commit()
    session.close()
    engine.dispose()
    exported = json.loads(cli("privacy", "export", "PIET@example.nl").output)
    assert exported["contact_persons"][0]["phone"] == "0611111111"
    made_pdfs = PdfCache(tmp_path / "instance" / "pdf-cache")  # as the web app keeps them, naming contacts
    made_pdfs.store("plan-1-document", "v1", b"%PDF Piet Jansen")
    assert cli("privacy", "erase", "piet@example.nl", "--yes").output.startswith("1 contact person record(s) erased")
    assert made_pdfs.load("plan-1-document", "v1") is None and not list(made_pdfs.directory.iterdir())
    assert cli("privacy", "export", "piet@example.nl").exit_code == 1


def test_import_json_with_a_lone_surrogate_names_the_field_instead_of_a_traceback(cli, session, tmp_path):
    document = export_plan(build_plan(session))
    session.rollback()
    path = tmp_path / "plan.json"
    document["activities"][0]["title"] = "Persbericht \ud800"
    path.write_text(json.dumps(document), encoding="utf-8")  # ASCII JSON: the surrogate travels as \ud800
    result = cli("import", "json", str(path))
    assert result.exit_code == 1
    assert ("activities[0].title: contains a lone surrogate (\\ud800), half of a character that cannot be "
            "stored; nothing was imported") in result.output
    assert "Traceback" not in result.output
    assert json.loads(cli("plans", "list", "--json").output) == []


def test_import_json_made_before_the_summary_and_contact_fields_still_imports(cli, session, tmp_path):
    document = export_plan(build_plan(session))
    session.rollback()
    assert document["plan"]["summary"] == ""
    for name in ("summary", "contact_name", "contact_phone", "contact_email"):
        del document["plan"][name]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli("import", "json", str(path)).exit_code == 0
