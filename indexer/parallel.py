"""Whoosh's multi-process writer, with worker failures reported as one line, not a traceback.

A worker that cannot write its segment (a full disk, say) would otherwise print a Python
traceback from inside ``multiprocessing`` and leave the parent waiting for a result that
never comes. Here the worker prints ``zhsearch worker: <reason>`` and exits non-zero, and
the parent turns the missing result into :class:`IndexWriteError`.
"""

from __future__ import annotations

import queue
import sys

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.errors import IndexWriteError


class _ReportingTask(SubWriterTask):
    def run(self) -> None:
        try:
            super().run()
        except OSError as exc:
            print(f"zhsearch worker: cannot write the index: {exc.strerror or exc}", file=sys.stderr, flush=True)
            sys.exit(1)


class ParallelWriter(MpWriter):
    """``MpWriter`` whose workers fail with a message, and whose commit says when one did."""

    def _new_task(self) -> SubWriterTask:
        task = _ReportingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def commit(self, *args, **kwargs) -> None:
        try:
            super().commit(*args, **kwargs)
        except queue.Empty:
            failed = [t.exitcode for t in self.tasks if t.exitcode]
            raise IndexWriteError(f"{len(failed) or 'a'} worker process(es) could not write their part of "
                                  "the index (see the message above)") from None
