import json

from planner.domain.demo import MUNICIPAL_SLUG, REGIONAL_SLUG


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


def test_unknown_slug_is_a_clear_error(cli):
    result = cli("export", "json", "bestaat-niet")
    assert result.exit_code == 1
    assert "no plan with slug 'bestaat-niet'" in result.output


def test_commands_on_an_unmigrated_database_say_what_to_do(cli, backend):
    result = cli("plans", "list", url=backend.empty_url())
    assert result.exit_code == 1
    assert "run `planner db upgrade` first" in result.output
