"""The benchmarks run end to end on a tiny slice (CI proves they work; numbers come from full runs)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
CORPORA = SHARED / "corpora"
QRELS = SHARED / "eval" / "dev_qrels.jsonl"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CORPORA.is_dir() or not QRELS.is_file(), reason="../shared is not here")]


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_quality_benchmark_scores_both_systems_and_the_experiments_reorder_its_ranking(tmp_path):
    out = run("bench/quality.py", "--limit", "1500", "--out", "-", "--keep", str(tmp_path),
              "--corpora", str(CORPORA), "--qrels", str(QRELS))
    assert "| zhsearch |" in out and "| baseline: Whoosh + jieba ChineseAnalyzer" in out
    assert "## How the ranking parameters were chosen" in out and "| shipped defaults |" in out
    shipped = re.search(r"^\| zhsearch \| ([\d.]+) \|", out, re.MULTILINE).group(1)
    experiments = run("bench/rerank.py", "--index", str(tmp_path / "zhsearch"), "--out", "-", "--qrels", str(QRELS))
    # the experiments start from the very ranking the quality benchmark scored
    mine = re.search(r"^\| shipped ranking \| ([\d.]+) \| \+0\.000 \|", experiments, re.MULTILINE)
    assert mine and abs(float(mine.group(1)) - float(shipped)) < 0.0015, experiments
    ceiling = re.search(r"^\| ceiling: best order of the shipped top 100 \| ([\d.]+) \|", experiments, re.MULTILINE)
    assert float(ceiling.group(1)) >= float(shipped)
    assert "RRF with bigram BM25" in experiments and "feedback:" in experiments


def test_speed_benchmark_measures_everything():
    out = run("bench/speed.py", "--sizes", "200", "--rounds", "1", "--add", "20", "--out", "-", "--corpora", str(CORPORA))
    assert "| 200 | zhsearch |" in out and "| 200 | baseline |" in out
    assert "| 200 | tantivy |" in out and "| 200 | fts5 |" in out and "| 2 |" in out  # peers, two-process floor
    assert "HTTP, concurrency 4" in out and "cold start" in out
    assert "visible to the running server" in out and "None s" not in out


def test_load_test_runs_clients_beside_an_indexing_job(tmp_path):
    index = tmp_path / "index"
    run("-m", "search", "index", "--index", str(index))
    out = run("bench/load.py", "--index", str(index), "--concurrency", "4", "--seconds", "3", "--requests", "150",
              "--add", "50", "--out", "-")
    phase1 = out.split("## Phase 1")[1].split("## Phase 2")[0]
    assert re.search(r"^\| [\d,]+ \| 0 \|", phase1, re.MULTILINE), phase1  # requests, then zero errors
    assert "The indexing job exited 0: 50 added" in out and "errors: 0" in out
    assert "an index of 20 articles when the run began" in out
