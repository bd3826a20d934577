import argparse
import io
import json
from pathlib import Path

import pytest

from nlp.__main__ import main
from nlp.cli import register, run_analyze

pytestmark = pytest.mark.model

DATA = Path(__file__).resolve().parents[1] / "data" / "nlp"


def run(capsys, monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["analyze", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_analyze_prints_one_json_object_per_file_in_order(capsys, monkeypatch, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Binary search\nBinary search halves a sorted array at every step.\n")
    code, lines, _ = run(capsys, monkeypatch, [str(DATA / "docs_page.html"), str(note)])
    assert code == 0
    assert [line["source"] for line in lines] == [str(DATA / "docs_page.html"), str(note)]
    assert lines[1]["title"] == "Binary search"
    for line in lines:
        assert {"title", "text", "concepts", "learning"} <= line.keys()
        assert all(set(c) >= {"text", "score"} for c in line["concepts"])
        assert "is_learning" in line["learning"]


def test_jsonl_captures_are_analysed_and_bad_lines_become_errors(capsys, monkeypatch):
    good = {
        "id": "c-1",
        "url": "https://stackoverflow.com/questions/1/sort",
        "title": "How do I sort a dict by value?",
        "text": "Use sorted(d.items(), key=lambda kv: kv[1]) to sort a dictionary by value.",
        "search_query": "python sort dict by value",
        "media": {"duration": 10, "unknown_field": 1},
    }
    stdin = "\n".join([json.dumps(good), "{not json", json.dumps({"url": 5}), ""])
    code, lines, err = run(capsys, monkeypatch, ["--jsonl"], stdin)
    assert code == 1
    assert lines[0]["source"] == "c-1"
    assert lines[0]["learning"]["form"] == "just-in-time"
    assert lines[1]["error"].startswith("not JSON")
    assert lines[2]["error"] == '"url" must be a string'
    assert "Traceback" not in err


def test_a_missing_or_unsupported_file_is_an_error_line_not_a_traceback(
    capsys, monkeypatch, tmp_path
):
    other = tmp_path / "x.pdf"
    other.write_text("%PDF")
    code, lines, err = run(capsys, monkeypatch, [str(tmp_path / "nope.html"), str(other)])
    assert code == 1
    assert "cannot read" in lines[0]["error"]
    assert "expected a .html or .txt file" in lines[1]["error"]
    assert "Traceback" not in err


def test_register_adds_analyze_with_an_example_and_the_model_from_the_environment(monkeypatch):
    monkeypatch.setenv("INFLOW_SPACY_MODEL", "some_model")
    parser = argparse.ArgumentParser(prog="inflow")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["analyze", "a.html"])
    assert args.func is run_analyze and args.model == "some_model"
    help_text = parser._subparsers._group_actions[0].choices["analyze"].format_help()
    assert "inflow analyze --jsonl" in help_text


def test_without_inputs_analyze_exits_with_usage_status(capsys, monkeypatch):
    code, lines, err = run(capsys, monkeypatch, [])
    assert code == 2 and lines == [] and "--jsonl" in err


def test_an_uninstalled_model_is_a_clear_message(capsys, monkeypatch):
    code, lines, err = run(capsys, monkeypatch, ["--model", "no_such_model_xyz", "a.html"])
    assert code == 2 and "not installed" in err
