"""Typed messages of the console."""

from __future__ import annotations

from textual.message import Message

from warroom.views import Dashboard


class JournalChanged(Message):
    """The journal has new events: a fresh dashboard read by the poll worker."""

    def __init__(self, max_id: int, board: Dashboard) -> None:
        super().__init__()
        self.max_id = max_id
        self.board = board

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JournalChanged)
