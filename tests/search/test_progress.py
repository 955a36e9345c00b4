import io

from search.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_progress_shows_rate_share_and_eta():
    out = Terminal()
    with Progress(1000, stream=out, interval=0) as progress:
        progress.advance_bytes(250)
        progress.count()
        assert "25%" in out.getvalue() and "1 articles" in out.getvalue() and "ETA" in out.getvalue()
        progress.phase("committing")
        assert "committing… 1 articles read" in out.getvalue()
    assert out.getvalue().endswith("\n") and "took" in out.getvalue()


def test_no_terminal_no_redraws():
    out = io.StringIO()
    with Progress(1000, stream=out, log_every=3600) as progress:
        for _ in range(100):
            progress.count()
    assert out.getvalue() == ""


def test_commit_is_its_own_phase_with_postings_written():
    out = Terminal()
    with Progress(1000, stream=out, interval=0) as progress:
        progress.count()
        progress.phase("committing")
        progress.commit(250, 1000)
        last = out.getvalue().rsplit("\r\x1b[K", 1)[-1]
        assert last.startswith("committing  25%") and "250 of 1,000 postings written" in last
