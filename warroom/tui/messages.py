"""Typed messages of the console."""

from __future__ import annotations

from textual.message import Message

from warroom.dashboard import Dashboard


class JournalChanged(Message):
    """The journal has new events: a fresh dashboard read by the poll worker."""

    def __init__(self, max_id: int, board: Dashboard) -> None:
        super().__init__()
        self.max_id = max_id
        self.board = board

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JournalChanged)


class WorkProgress(Message):
    """A long service reports how far it is (stage, done, total)."""

    def __init__(self, stage: str, done: int, total: int | None) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WorkProgress) and message.stage == self.stage


class ScanFinished(Message):
    def __init__(self, report: dict) -> None:
        super().__init__()
        self.report = report


class WorkFailed(Message):
    def __init__(self, what: str, error: str) -> None:
        super().__init__()
        self.what, self.error = what, error
