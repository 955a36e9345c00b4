"""Every ``ZHSEARCH_*`` value and app-factory setting is checked at start-up: one line naming it.

Before, ``ZHSEARCH_REFRESH_SECONDS=1s`` or ``ZHSEARCH_CACHE_PAGES=lots`` raised a raw
``ValueError`` from ``float()``/``int()``, and an unknown key in ``create_app``'s mapping a
``TypeError`` from the dataclass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from search.config import AppConfig
from search.errors import ConfigError
from search.web import create_app


@pytest.mark.parametrize("name, value, message", [
    ("ZHSEARCH_REFRESH_SECONDS", "1s", "must be a number of 0 or more, got '1s'"),
    ("ZHSEARCH_REFRESH_SECONDS", "-1", "must be a number of 0 or more"),
    ("ZHSEARCH_REFRESH_SECONDS", "nan", "must be a number of 0 or more"),
    ("ZHSEARCH_CACHE_PAGES", "lots", "must be a whole number of 0 or more, got 'lots'"),
    ("ZHSEARCH_CACHE_PAGES", "2.5", "must be a whole number of 0 or more"),
    ("ZHSEARCH_CACHE_PAGES", "-1", "must be a whole number of 0 or more"),
    ("ZHSEARCH_API_TOKEN", "two words", "must be printable ASCII without spaces"),
    ("ZHSEARCH_API_TOKEN", "口令", "must be printable ASCII without spaces"),
    ("ZHSEARCH_MAX_PER_PAGE", "100.5", "must be a whole number of more than 0"),
    ("ZHSEARCH_MAX_DEPTH", "0", "must be a whole number of more than 0"),
])
def test_a_bad_variable_is_one_line_naming_it(tmp_path, name, value, message):
    env = {"ZHSEARCH_INDEX": str(tmp_path / "ix"), name: value}
    with pytest.raises(ConfigError) as caught:
        AppConfig.from_sources(env=env)
    assert str(caught.value).startswith(f"{name} {message}") and "\n" not in str(caught.value)


@pytest.mark.parametrize("key, value, message", [
    ("refresh_second", 1, "unknown setting 'refresh_second'; settings are: index_dir, refresh_seconds"),
    ("refresh_seconds", "soon", "refresh_seconds (app config) must be a number of 0 or more"),
    ("cache_pages", True, "cache_pages (app config) must be a whole number of 0 or more"),
    ("max_request_mb", 0, "max_request_mb (app config) must be a number of more than 0"),
    ("synonyms", 3, "synonyms (app config) must be a list of paths"),
    ("limits", {"per_page": 5}, "limits (app config) must be a Limits object"),
    ("index_dir", "", "index_dir (app config) must be a path"),
])
def test_a_bad_app_setting_is_one_line_naming_it(tmp_path, key, value, message):
    with pytest.raises(ConfigError) as caught:
        AppConfig.from_sources({key: value}, env={"ZHSEARCH_INDEX": str(tmp_path / "ix")})
    assert str(caught.value).startswith(message)


def test_good_values_still_read(tmp_path):
    env = {"ZHSEARCH_INDEX": str(tmp_path / "ix"), "ZHSEARCH_CACHE_PAGES": "0", "ZHSEARCH_REFRESH_SECONDS": "0.25",
           "ZHSEARCH_API_TOKEN": "s3cr3t-token", "ZHSEARCH_MAX_PER_PAGE": "50"}
    config = AppConfig.from_sources({"synonyms": [str(tmp_path / "syn.txt")], "cache_pages": 8}, env=env)
    assert (config.cache_pages, config.refresh_seconds, config.api_token) == (8, 0.25, "s3cr3t-token")
    assert config.limits.per_page == 50 and config.synonyms == (tmp_path / "syn.txt",)
    assert config.index_dir == tmp_path / "ix" and config.build_sample_if_missing


def test_the_app_checks_settings_before_building_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHSEARCH_INDEX", str(tmp_path / "default-index"))
    monkeypatch.setenv("ZHSEARCH_REFRESH_SECONDS", "1s")
    with pytest.raises(ConfigError, match="^ZHSEARCH_REFRESH_SECONDS"):
        create_app()
    assert not (tmp_path / "default-index").exists(), "no sample index was built for a server that cannot start"


@pytest.mark.slow
def test_serve_stops_at_once_with_one_line(sample_index: Path):
    exe = os.path.join(os.path.dirname(sys.executable), "zhsearch")
    env = {**os.environ, "ZHSEARCH_CACHE_PAGES": "lots"}
    # a server that starts anyway would run until the timeout: 120 s is far beyond the few
    # seconds the refusal takes (importing jieba and Whoosh) on a loaded two-core machine
    done = subprocess.run([exe, "serve", "--index", str(sample_index), "--port", "0"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    assert errors == ["Error: ZHSEARCH_CACHE_PAGES must be a whole number of 0 or more, got 'lots'"], done.stderr
