"""Whoosh's multi-process writer, with worker failures reported as one line, not a traceback.

A worker that cannot write its segment (a full disk, say) would otherwise print a Python
traceback from inside ``multiprocessing`` and leave the parent waiting for a result that
never comes. Here the worker prints ``zhsearch worker: <reason>`` and exits non-zero, and
the parent raises :class:`IndexWriteError` before anything is committed.

Each worker writes its own segment with :class:`indexer.writer.ArraySegmentWriter` and the
parent commits the segments as they are, without merging them (``multisegment``): a merge
would write every posting a second time. The workers report how many postings they have
written into shared memory, so the parent can show the commit's progress while it waits.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.errors import IndexWriteError
from indexer.pool import Progress
from indexer.writer import ArraySegmentWriter

#: How often the parent looks at the workers' commit progress, in seconds.
POLL_SECONDS = 0.5


class _ReportingTask(SubWriterTask):
    """A worker: one ``ArraySegmentWriter``, its segment finished whole (no run is handed back)."""

    def __init__(self, *args, progress, slot: int):
        super().__init__(*args)
        self.progress, self.slot = progress, slot
        self.parent_pid = os.getpid()  # set in the parent, read in the worker

    def run(self) -> None:
        try:
            self._run()
        except OSError as exc:
            print(f"zhsearch worker: cannot write the index: {exc.strerror or exc}", file=sys.stderr, flush=True)
            sys.exit(1)

    def _run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = ArraySegmentWriter(ix, _lk=False, on_progress=self._report, **self.kwargs)
        while self.running:
            jobinfo = self._next_job()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)

    def _next_job(self) -> tuple | None:
        """The next batch of articles; ``None`` at the end, or once the parent has died.

        A parent killed outright (SIGKILL, the OOM killer) never sends the end, and this
        worker, holding its own end of the job queue open, would otherwise wait forever,
        an orphan keeping its memory. It stops within ``POLL_SECONDS`` and writes nothing
        more: nothing it wrote is in a committed table of contents, and the next writer's
        clean-up removes its files.
        """
        while True:
            try:
                return self.jobqueue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if os.getppid() != self.parent_pid:
                    self.running = False
                    return None

    def _report(self, done: int, total: int) -> None:
        self.progress[2 * self.slot] = done
        self.progress[2 * self.slot + 1] = total


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
    ``on_progress(done, total)``: postings written by all workers, during the commit.
    """

    def __init__(self, ix, procs: int = 2, on_progress: Progress | None = None, **kwargs):
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)
        self.jobqueue = _WatchedQueue(self.jobqueue, self.tasks)
        self.on_progress = on_progress
        self.progress = multiprocessing.Array("q", 2 * self.procs, lock=False)

    def cancel(self) -> None:
        """Stop the workers, then cancel: Whoosh's ``cancel`` only flags the parent's copy of
        each task, so a worker went on writing into the generation the builder was about to
        discard (and reported the files vanishing under it instead of the real error)."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(POLL_SECONDS * 20)
        self.jobqueue.cancel_join_thread()  # nobody reads the jobs left: do not wait to flush them
        super().cancel()

    def _commit(self, mergetype, optimize, merge) -> None:
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        self._wait_for_workers()
        results = []
        for _task in self.tasks:
            try:
                results.append(self.resultqueue.get(timeout=1))
            except queue.Empty:
                pass
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def _wait_for_workers(self) -> None:
        for task in self.tasks:
            while task.is_alive():
                task.join(POLL_SECONDS)
                self._report()
        self._report()

    def _report(self) -> None:
        if self.on_progress is not None:
            values = list(self.progress)
            self.on_progress(sum(values[0::2]), sum(values[1::2]))

    def _commit_toc(self, segments) -> None:
        _raise_if_a_worker_failed(self.tasks)  # every worker has been joined by now
        super()._commit_toc(segments)

    def _new_task(self) -> SubWriterTask:
        task = _ReportingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment, progress=self.progress, slot=len(self.tasks))
        self.tasks.append(task)
        task.start()
        return task
