import json
import urllib.request

import click
import pytest

from search.cli import cli


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_search_builds_the_sample_first_and_finds_wanfa_bipei(runner):
    result = invoke(runner, "search", "晚发必赔")
    assert result.exit_code == 0
    assert "building it from the bundled sample" in result.stderr
    lines = [l for l in result.stdout.splitlines() if l[:4].strip().rstrip(".").isdigit()]
    assert len(lines) == 1 and "晚发必赔" in lines[0]
    # the two reports of the story: one is the hit, the other is folded under it
    same = [l for l in result.stdout.splitlines() if "+ same news:" in l]
    assert len(same) == 1 and "晚发必赔" in same[0]
    assert "[晚发必赔]" in result.stdout
    both = invoke(runner, "search", "晚发必赔", "--no-collapse").stdout
    assert len([l for l in both.splitlines() if l[:4].strip().rstrip(".").isdigit()]) == 2


def test_search_json_is_the_api_json(runner, app, sample_index):
    result = invoke(runner, "search", "安心购", "--json", "--index", str(sample_index), "--limit", "3")
    cli_body = json.loads(result.stdout)
    api_body = app.test_client().get("/api/search?q=安心购&per_page=3").get_json()
    cli_body.pop("took_ms"), api_body.pop("took_ms")
    assert cli_body == api_body


def test_index_reports_a_summary_and_skips(runner, tmp_path):
    data = tmp_path / "news.jsonl"
    data.write_text('{"id": "a", "title": "拼多多调整仅退款规则", "date": "2024-03-01"}\n'
                    '{"id": "b", "title": "", "date": "2024-03-01"}\n'
                    '{broken\n', "utf-8")
    result = invoke(runner, "index", str(data))
    assert result.exit_code == 0
    assert "indexed 1 new" in result.stdout
    assert "skipped 2" in result.stdout
    assert f"{data}:2" in result.stderr and f"{data}:3" in result.stderr
    again = json.loads(invoke(runner, "index", str(data), "--json").stdout)
    assert again["updated"] == 1 and again["indexed"] == 0


def test_an_update_with_over_a_megabyte_of_text_runs_in_worker_processes(runner, tmp_path):
    from indexer.builder import PARALLEL_FROM_BYTES, auto_procs

    index = tmp_path / "ix"
    assert invoke(runner, "index", "--index", str(index)).exit_code == 0  # the sample: one process
    body = "平台调整了仅退款规则，商家可在七日内申诉。" * 40  # 60 characters x 40, 3 bytes each
    data = tmp_path / "big.jsonl"
    count = PARALLEL_FROM_BYTES // len(body.encode("utf-8")) + 50
    data.write_text("".join(json.dumps({"id": f"n{i}", "title": f"规则调整第{i}号", "content": body,
                                        "date": "2024-03-01"}, ensure_ascii=False) + "\n" for i in range(count)),
                    "utf-8")
    result = invoke(runner, "index", str(data), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert f"indexed {count:,} new" in result.stdout
    assert (f"{auto_procs()} worker processes" in result.stdout) == (auto_procs() > 1)
    again = json.loads(invoke(runner, "index", str(data), "--index", str(index), "--json").stdout)
    assert (again["updated"], again["procs"]) == (count, auto_procs())


def test_stats_and_options(runner, sample_index):
    result = invoke(runner, "stats", "--index", str(sample_index))
    assert "articles     20" in result.stdout
    data = json.loads(invoke(runner, "stats", "--index", str(sample_index), "--json").stdout)
    assert data["articles"] == 20


@pytest.mark.parametrize("args, code, message", [
    (["search", "(淘宝"], 2, "unbalanced"),
    (["search", "x", "--from", "someday"], 2, "not a date"),
    (["search", "x", "--sort", "best"], 2, "Invalid value"),
    (["index", "/no/such/file.jsonl"], 1, "no such file"),
])
def test_errors_are_one_line_and_exit_nonzero(runner, args, code, message):
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_every_command_has_help_and_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"index", "search", "serve", "eval", "alerts"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command is not None and command.help, name
        assert f"zhsearch {name}" in readme, name


def test_serve_runs_a_real_wsgi_server(sample_index, serve, tmp_path):
    with (serve(sample_index, tmp_path / "serve.log") as base,
          urllib.request.urlopen(base + "/api/search?q=%E5%88%86%E9%94%80%E9%80%9A", timeout=5) as res):
        assert res.headers["Server"] == "gunicorn"  # the pre-fork production server, not a dev server
        body = json.load(res)
    assert body["total"] >= 1 and "分销通" in body["hits"][0]["title"]


def test_dict_suggest_prints_reviewable_userdict_lines(runner):
    from corpus import sample_path

    result = invoke(runner, "dict", "suggest", str(sample_path()), "--min-count", "3")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    word, count = first.split("\t")[0].split()
    assert int(count) >= 3 and "now cut as" in first
    data = json.loads(invoke(runner, "dict", "suggest", str(sample_path()), "--json", "--min-count", "3").stdout)
    assert data[0]["word"] == word


def test_serve_listens_on_loopback_unless_told_otherwise():
    host = next(p for p in cli.get_command(click.Context(cli), "serve").params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_eval_scores_judged_queries_on_the_user_path(runner, sample_index, tmp_path):
    hit = json.loads(invoke(runner, "search", "晚发必赔", "--json", "--index", str(sample_index)).stdout)["hits"][0]
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text(json.dumps({"qid": "q1", "query": "晚发必赔", "type": "rule-change",
                                 "judgments": {hit["id"]: 2, "not-in-index": 1}}, ensure_ascii=False) + "\n"
                     + json.dumps({"qid": "q2", "query": "不存在的词语组合", "type": "keyword",
                                   "judgments": {hit["id"]: 2}}, ensure_ascii=False) + "\n", "utf-8")
    body = json.loads(invoke(runner, "eval", str(qrels), "--index", str(sample_index), "--json").stdout)
    q1 = next(q for q in body["queries"] if q["qid"] == "q1")
    assert q1["recall@100"] == 0.5 and q1["mrr"] == 1.0 and 0 < q1["ndcg@10"] < 1
    assert body["overall"]["zero_results"] == 1
    # leaving unjudged articles out can only move a judged one up
    assert body["overall"]["ndcg@10 judged only"] >= body["overall"]["ndcg@10"]
    text = invoke(runner, "eval", str(qrels), "--index", str(sample_index)).stdout
    assert text.index("q2") < text.index("q1"), "worst first"


def test_a_search_imports_neither_the_writer_nor_the_web_app(sample_index):
    """One-shot start-up: `zhsearch search` loads the search side only (LazyGroup)."""
    import subprocess
    import sys

    probe = ("import sys; from search.cli.main import cli; "
             "cli.main(['search', '分销通', '--index', sys.argv[1]], standalone_mode=False); "
             "print('LOADED', *sorted(m for m in sys.modules if m in "
             "('indexer.builder', 'indexer.parallel', 'flask', 'search.web.app', 'corpus.fetch')))")
    out = subprocess.run([sys.executable, "-c", probe, str(sample_index)], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "分销通" in out
    assert out.strip().splitlines()[-1] == "LOADED"
