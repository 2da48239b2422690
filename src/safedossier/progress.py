"""A progress bar on stderr for steps that take more than a few seconds (no extra dependency).

On a terminal the bar redraws in place; in a log (CI, a pipe) each step is one plain line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 24) -> None:
        self.total, self.label, self.width = max(total, 1), label, width
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = -1  # no step begun yet
        self.started = time.monotonic()

    def step(self, what: str) -> None:
        """A new step (`what`) begins; the one before it, if any, is done."""
        self.done += 1
        filled = int(self.width * self.done / self.total)
        bar = "█" * filled + "·" * (self.width - filled)
        elapsed = time.monotonic() - self.started
        line = f"{self.label} [{bar}] {self.done}/{self.total} {what} ({elapsed:.0f} s)"
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
