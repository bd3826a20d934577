"""The week over HTTP (in-process): JSON, Markdown, reflections, concept edits, the page shell."""

from __future__ import annotations

import json
import re

import pytest

from companion.journal import Journal
from companion.routers.pages import STATIC
from tests.companion.week_seed import TEXT, seed


@pytest.fixture
def week_client(app_client):
    """The API client, with a journal holding one two-capture thread in 2026-W48."""
    client, settings = app_client
    journal = Journal(settings.db_path)
    try:
        seed(
            journal, "2026-11-24", ["Kubernetes networking", "k8s"], seconds=600, text=TEXT["pods"]
        )
        seed(journal, "2026-11-25", ["Kubernetes networking"], seconds=300, search_query="k8s ip")
    finally:
        journal.close()
    return client


def test_the_week_is_served_as_json(week_client):
    reply = week_client.get("/api/v1/weeks/2026-W48")
    assert reply.status_code == 200
    body = reply.json()
    assert (body["week"], body["totals"]["minutes_learning"]) == ("2026-W48", 15.0)
    assert body["threads"]["items"][0]["label"] == "Kubernetes networking"


def test_the_week_is_served_as_markdown_by_suffix_and_by_format(week_client):
    by_suffix = week_client.get("/api/v1/weeks/2026-W48.md")
    by_format = week_client.get("/api/v1/weeks/2026-W48", params={"format": "markdown"})
    assert by_suffix.headers["content-type"].startswith("text/markdown")
    assert by_suffix.text == by_format.text
    assert by_suffix.text.startswith("# Learning week 2026-W48")


def test_a_malformed_week_gets_the_one_error_shape_with_400(week_client):
    reply = week_client.get("/api/v1/weeks/last-week")
    assert reply.status_code == 400
    assert "2026-W48" in reply.json()["error"]["message"]


def test_the_week_needs_the_token(week_client):
    reply = week_client.get("/api/v1/weeks/2026-W48", headers={"Authorization": ""})
    assert reply.status_code == 401


def test_reflections_put_are_returned_with_the_week(week_client):
    answers = {"answers": [{"prompt": "What next?", "key": "next", "answer": "eBPF"}]}
    reply = week_client.put("/api/v1/weeks/2026-W48/reflections", json=answers)
    assert reply.status_code == 200
    week = week_client.get("/api/v1/weeks/2026-W48").json()
    assert [(r["key"], r["answer"]) for r in week["reflections"]] == [("next", "eBPF")]


def test_concepts_can_be_renamed_and_merged_over_http(week_client):
    thread = week_client.get("/api/v1/weeks/2026-W48").json()["threads"]["items"][0]
    main = thread["concepts"][0]["id"]
    renamed = week_client.patch(f"/api/v1/concepts/{main}", json={"label": "K8s networking"})
    assert renamed.json()["label"] == "K8s networking"
    other = main + 1  # "k8s", created right after it
    merged = week_client.post(f"/api/v1/concepts/{other}/merge", json={"into": main})
    assert (merged.status_code, merged.json()["captures"]) == (200, 2)
    assert week_client.get(f"/api/v1/concepts/{other}").json()["merged_into"] == main
    assert (
        week_client.post(f"/api/v1/concepts/{main}/merge", json={"into": main}).status_code == 400
    )
    assert week_client.patch("/api/v1/concepts/999", json={"label": "x"}).status_code == 404


@pytest.mark.parametrize("path", ["/week", "/week/2026-W47"])
def test_the_page_is_a_public_shell_with_a_strict_csp(week_client, path):
    reply = week_client.get(path, headers={"Authorization": ""})
    assert reply.status_code == 200
    assert '<script type="module" src="/static/week/main.js">' in reply.text
    assert reply.headers["content-security-policy"].startswith("default-src 'self'")
    assert "2026-W48" not in reply.text and "Kubernetes" not in reply.text


def test_the_page_modules_and_styles_are_served_and_every_import_is_among_them(week_client):
    public = {"Authorization": ""}
    assert week_client.get("/static/week.css", headers=public).status_code == 200
    modules = sorted((STATIC / "week").glob("*.js"))
    assert "main.js" in {m.name for m in modules}
    for module in modules:
        reply = week_client.get(f"/static/week/{module.name}", headers=public)
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/javascript")
        for imported in re.findall(r"from '\./([\w-]+\.js)'", module.read_text()):
            assert (STATIC / "week" / imported).is_file(), f"{module.name} imports {imported}"
    for missing in ("nothing.js", ".hidden.js", "..%2fweek.html", "main.css"):
        assert week_client.get(f"/static/week/{missing}", headers=public).status_code == 404


def test_inflow_week_prints_json_and_markdown_for_a_given_week(tmp_path, capsys):
    from companion.cli import main

    journal = Journal(tmp_path / "journal.db")
    try:
        seed(journal, "2026-11-24", ["Kubernetes networking"], seconds=600, search_query="k8s ip")
        seed(journal, "2026-11-25", ["Kubernetes networking"], seconds=300)
    finally:
        journal.close()
    args = ["week", "--week", "2026-W48", "--data-dir", str(tmp_path)]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["minutes_learning"] == 15.0
    assert main([*args, "--markdown"]) == 0
    assert "**k8s ip**" in capsys.readouterr().out
    assert main(["week", "--week", "2026-48", "--data-dir", str(tmp_path)]) == 1
    assert "2026-W48" in capsys.readouterr().err


def test_drafts_are_kept_over_http_and_served_apart_from_saved_answers(week_client):
    url = "/api/v1/weeks/2026-W48/reflections"
    draft = {"prompt": "What next?", "key": "next", "answer": "half a thought"}
    reply = week_client.put(url, json={"answers": [draft], "draft": True})
    assert (reply.status_code, reply.json()["reflections"]) == (200, [])
    week = week_client.get("/api/v1/weeks/2026-W48").json()
    assert [(d["key"], d["text"]) for d in week["drafts"]] == [("next", "half a thought")]
    assert week["reflections"] == []
    markdown = week_client.get("/api/v1/weeks/2026-W48.md").text
    assert "half a thought" not in markdown
    assert "1 unsaved draft" in markdown
    saved = week_client.put(url, json={"answers": [{**draft, "answer": "a whole thought"}]})
    assert [r["answer"] for r in saved.json()["reflections"]] == ["a whole thought"]
    assert saved.json()["drafts"] == []


def test_the_week_serves_the_tag_vocabulary_with_human_labels(week_client):
    vocabulary = week_client.get("/api/v1/weeks/2026-W48").json()["vocabulary"]
    assert vocabulary["facets"]["four_e"]["title"] == "The 4 E's"
    forms = {v["key"]: v["label"] for v in vocabulary["facets"]["form"]["values"]}
    assert forms == {
        "just-in-time": "Just in time",
        "micro": "Micro",
        "deep-dive": "Deep dive",
        "reference": "Reference",
        "course": "Course",
    }
    assert vocabulary["unknown"] == {"key": "unknown", "label": "Not tagged"}
