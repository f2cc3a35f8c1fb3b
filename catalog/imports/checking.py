"""The checking process: a second process that reads and checks the rows of a large file a
batch ahead of the importer, so that checking and writing run on two cores (PostgreSQL).
"""

from __future__ import annotations

import csv
import gc
import logging
import os
import pickle
import select
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from .reading import IMPORT_GC_THRESHOLD, _text
from .rows import _Batch, _checked_batches, _Checker

logger = logging.getLogger(__name__)


# Files from this size on (about 50,000 rows) are read and checked by a second process; the
# second of CPU it takes to start only pays for itself on a file that takes a while.
CHECKING_PROCESS_MIN_BYTES = 16 * 2**20


# What the checking process runs: Django set up as here, then _serve_checks.
_CHECKING_PROCESS_CODE = (
    "import django\ndjango.setup()\n"
    "from catalog.imports.checking import _serve_checks\n_serve_checks()\n"
)


def _serve_checks() -> None:
    """The checking process. Reads (path, checker, batch size) from stdin and opens the file;
    writes True to stdout; reads where to go on from (see _checked_batches), or None; then
    writes each batch from there and None at the end. All pickled."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else prints goes to stderr, not between the batches
    gc.set_threshold(IMPORT_GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        path, checker, size = pickle.load(sys.stdin.buffer)
        with open(path, "rb") as binary:
            reader = csv.reader(_text(binary))
            next(reader, None)  # the header, checked by the importer
            pickle.dump(True, channel)
            channel.flush()
            after = pickle.load(sys.stdin.buffer)
            if after is None:
                return
            for _ in range(after[0] - 1):
                next(reader)
            for batch in _checked_batches(reader, checker, size, after):
                pickle.dump(batch, channel, protocol=pickle.HIGHEST_PROTOCOL)
                channel.flush()
        pickle.dump(None, channel)
        channel.close()
    except (BrokenPipeError, EOFError):
        pass  # the importer stopped early, or did without this process


class _CheckingProcess:
    """A second process that reads and checks the rows of a large file, a batch ahead of the
    importer, which meanwhile writes the batches it has: the work runs on two cores.

    A fresh interpreter (not a fork of this process with its threads and connections), set
    up as this one; while it starts, the importer checks rows itself, and hands it the rest
    of the file once it is ready. The batches come back through a pipe, in file order.
    """

    # Seconds to wait for the process at a batch boundary before checking the next batch here.
    wait = 0.0

    def __init__(self, path: Path, checker: _Checker, size: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}
        self.failed = False
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-c", _CHECKING_PROCESS_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                bufsize=2**20,
            )
        except OSError as exc:
            self.process = None
            self._give_up(exc)
            return
        # Written by a thread: the lookups may fill the pipe before the process reads them.
        message = pickle.dumps((str(path), checker, size), protocol=pickle.HIGHEST_PROTOCOL)
        self.sending = threading.Thread(target=self._send, args=(message,), daemon=True)
        self.sending.start()

    def _send(self, message: bytes) -> None:
        with suppress(BrokenPipeError, ValueError):  # it died, or was stopped
            self.process.stdin.write(message)
            self.process.stdin.flush()

    def ready(self) -> bool:
        """Whether the process is up with the file open."""
        if self.failed:
            return False
        if not select.select([self.process.stdout], [], [], self.wait)[0]:
            return False
        try:
            if pickle.load(self.process.stdout) is True:
                return True
        except (EOFError, pickle.UnpicklingError):
            pass
        self._give_up(f"exit code {self.close()}")
        return False

    def take_over(self, after: tuple[int, int]) -> Iterator[_Batch]:
        """The batches of the rest of the file, after the position ``after``."""
        self.sending.join()
        try:
            pickle.dump(after, self.process.stdin)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died: the next read says so
        while True:
            try:
                batch = pickle.load(self.process.stdout)
            except EOFError:
                raise RuntimeError(
                    f"the process checking the rows ended early (exit code {self.close()})"
                ) from None
            if batch is None:
                return
            yield batch

    def _give_up(self, reason: object) -> None:
        self.failed = True
        logger.warning("catalog import: no second process to check rows (%s)", reason)

    def close(self) -> int | None:
        """Stop the process (done, or no longer wanted) and return its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self.sending.join()
        for pipe in (self.process.stdin, self.process.stdout):
            with suppress(BrokenPipeError):
                pipe.close()
        return code

