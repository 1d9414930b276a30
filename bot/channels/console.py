"""The console helpline: a terminal session exactly as a migrant sees it over SMS or Telegram.

Piped (stdin not a terminal): one message a line; the replies to each, then a line `---`.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterable
from typing import TextIO

from flask import Flask

from bot.core.messages import Reply
from bot.core.segments import count
from bot.core.shape import render_sms
from bot.service import get_helpline

SEPARATOR = "---"


def render(reply: Reply, channel: str) -> list[str]:
    """A reply as lines of the terminal: SMS with its cost, Telegram with its buttons."""
    if channel == "sms":
        body = render_sms(reply)
        cost = count(body)
        return [body, f"  ({cost.encoding}, {cost.segments} SMS)"]
    lines = [reply.text]
    if reply.choices:
        lines.append("  " + "  ".join(f"[{c.key} {c.label}]" for c in reply.choices))
    return lines


def converse(
    app: Flask, lines: Iterable[str], out: TextIO, address: str, channel: str, piped: bool
) -> None:
    """Sends each line to the helpline as the person `address` and prints what comes back."""
    helpline = get_helpline(app)
    for line in lines:
        text = line.rstrip("\n")
        if not piped and not text.strip():
            continue
        received = helpline.receive(channel, address, text, key=f"console:{uuid.uuid4()}")
        for reply in received.replies:
            for shown in render(reply, channel):
                print(shown, file=out)
        if piped:
            print(SEPARATOR, file=out)
        out.flush()


def interactive_lines(prompt: str = "> ") -> Iterable[str]:
    """Lines typed at the terminal until end of input."""
    while True:
        try:
            yield input(prompt)
        except EOFError:
            return


def run(app: Flask, address: str, channel: str) -> None:
    """The `helpline chat` loop on the real terminal or a pipe."""
    piped = not sys.stdin.isatty()
    if not piped:
        print(f"Helpline over {channel} as {address!r}. Ctrl-D to quit.")
    lines = sys.stdin if piped else interactive_lines()
    converse(app, lines, sys.stdout, address, channel, piped)
