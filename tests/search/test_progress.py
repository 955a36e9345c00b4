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
