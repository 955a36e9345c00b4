"""Whoosh's multi-process writer, with worker failures reported as one line, not a traceback.

A worker that cannot write its segment (a full disk, say) would otherwise print a Python
traceback from inside ``multiprocessing`` and leave the parent waiting for a result that
never comes. Here the worker prints ``zhsearch worker: <reason>`` and exits non-zero, and
the parent raises :class:`IndexWriteError` before anything is committed.
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


class _WatchedQueue:
    """The job queue, but a ``put`` gives up when a worker has died instead of blocking forever."""

    def __init__(self, inner, tasks: list):
        self._inner, self._tasks = inner, tasks

    def put(self, item, block: bool = True, timeout: float | None = None) -> None:
        while True:
            try:
                return self._inner.put(item, timeout=0.5)
            except queue.Full:
                _raise_if_a_worker_failed(self._tasks)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _raise_if_a_worker_failed(tasks: list) -> None:
    failed = [t.exitcode for t in tasks if t.exitcode not in (None, 0)]
    if failed:
        raise IndexWriteError(f"{len(failed)} worker process(es) could not write their part of "
                              "the index (see the message above)")


class ParallelWriter(MpWriter):
    """``MpWriter`` whose workers fail with a message, and whose commit says when one did.

    Whoosh's own would block forever feeding a dead worker's queue, and at commit it skips a
    missing worker result silently, committing an index without that worker's articles.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.jobqueue = _WatchedQueue(self.jobqueue, self.tasks)

    def _commit_toc(self, segments) -> None:
        _raise_if_a_worker_failed(self.tasks)  # every worker has been joined by now
        super()._commit_toc(segments)

    def _new_task(self) -> SubWriterTask:
        task = _ReportingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
