"""zhsearch's Whoosh fixes are checked against the installed Whoosh and installed explicitly."""

import subprocess
import sys

import pytest
from whoosh import collectors

from indexer import IndexStore, whoosh_compat
from indexer.whoosh_compat import PATCHES, Patch, WhooshMismatch


def test_importing_zhsearch_patches_nothing():
    probe = ("import indexer, search.engine.searcher, search.web, search.cli\n"
             "from whoosh import collectors\n"
             "from whoosh.filedb import structfile\n"
             "from indexer.whoosh_compat import PATCHES\n"
             "print(sum(p.installed() for p in PATCHES))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"


def test_opening_an_index_installs_every_fix(sample_index):
    IndexStore(sample_index).open()
    assert all(p.installed() for p in PATCHES)


def test_another_whoosh_version_is_refused_with_the_fix():
    with pytest.raises(WhooshMismatch, match=r"needs Whoosh 2\.7\.5 .*found 2\.8\.0"):
        whoosh_compat.check(version=(2, 8, 0))


def test_a_replaced_function_that_changed_is_refused():
    class Changed:
        def all_ids(self):
            return iter(())

    patch = Patch(Changed, "all_ids", "0000000000000000", collectors.FilterCollector.all_ids)
    with pytest.raises(WhooshMismatch, match="Changed.all_ids is not the code"):
        whoosh_compat.check(patches=(patch,))


def test_installing_twice_is_harmless(sample_index):
    whoosh_compat.install()
    whoosh_compat.install()
    assert all(p.installed() for p in PATCHES)
