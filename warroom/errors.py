"""The project's own errors: each carries one line a responder can act on."""


class WarroomError(Exception):
    """Base of every error Warroom reports as a clear message instead of a traceback."""


class JournalError(WarroomError):
    """The journal cannot be opened or written."""


class SchemaTooNew(JournalError):
    """The journal was written by a newer Warroom than this one."""


class JournalReadOnly(JournalError):
    """The journal can be read but not written (read-only file, folder or file system)."""


class JournalBusy(JournalError):
    """Other writers held the journal for longer than the retry bound."""


class ReadError(WarroomError):
    """A file could not be read as the format it claims to be."""


class AcquireError(WarroomError):
    """An artifact could not be fetched or stored."""


class KeyMissing(JournalError):
    """The journal is encrypted and no key was given."""


class WrongKey(JournalError):
    """The key does not open the journal."""


class RefusedAction(WarroomError):
    """A move the procedure refuses (a consular channel, a state that makes no sense, a move
    backwards without a correction): one line saying why; the command line exits 2."""
