"""What every ``reserve-planner`` command parses the same way: the program name, the exit
codes, a parser that reports a bad argument in one line, and argument types."""

from __future__ import annotations

import argparse
from typing import NoReturn

PROG = "reserve-planner"
#: 0 done; 1 the inputs give no plan; 2 bad arguments, an unreadable file or a failed write.
EXIT_OK, EXIT_NO_PLAN, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line, pointing at the help of the command
    it belongs to (``reserve-planner compare --help``), and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (try '{self.prog} --help')\n")


def positive_int(text: str) -> int:
    """A whole number of at least 1, as an argparse ``type``."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {n})")
    return n
