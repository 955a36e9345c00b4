"""Where articles come from: streaming readers for news files, normalised to ``Article``.

``read_articles(paths)`` is the entry point: files and directories in, frozen
:class:`Article` s out, bad records reported as :class:`Skip` s and left out.
"""

from corpus.article import CHINA_TZ, Article
from corpus.errors import CorpusError, RecordError, Skip
from corpus.loader import iter_files, read_articles, sample_path
from corpus.normalize import make_id, normalize_article, parse_published

__all__ = ["CHINA_TZ", "Article", "CorpusError", "RecordError", "Skip", "iter_files", "make_id",
           "normalize_article", "parse_published", "read_articles", "sample_path"]
