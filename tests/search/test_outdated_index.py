"""An index from an older zhsearch (fewer fields) is refused with the fix, never a 500."""

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from indexer import IndexOutdated, IndexStore, build_index
from search.cli import cli
from search.web import create_app


def old_index(path):
    gen = path / "gen-old"
    gen.mkdir(parents=True)
    writer = whoosh_index.create_in(str(gen), Schema(id=ID(stored=True), title=TEXT(stored=True))).writer()
    writer.add_document(id="1", title="旧索引")
    writer.commit()
    (path / "CURRENT").write_text("gen-old", "utf-8")
    return path


def test_api_answers_503_with_the_fix(tmp_path):
    client = create_app({"index_dir": old_index(tmp_path / "ix")}).test_client()
    response = client.get("/api/search?q=1688")
    assert response.status_code == 503
    assert "--rebuild" in response.get_json()["error"]["message"]


def test_cli_search_and_update_say_rebuild(tmp_path, runner):
    path = old_index(tmp_path / "ix")
    for args in (["search", "1688"], ["index"]):
        out = runner.invoke(cli, [*args, "--index", str(path)])
        assert out.exit_code == 1 and "built by an older zhsearch" in out.output


def test_rebuild_fixes_it(tmp_path, sample_articles):
    path = old_index(tmp_path / "ix")
    try:
        build_index(IndexStore(path), sample_articles)
    except IndexOutdated:
        pass
    else:
        raise AssertionError("an update must not write into an outdated index")
    from indexer import BuildOptions
    assert build_index(IndexStore(path), sample_articles, BuildOptions(rebuild=True)).indexed == 20
