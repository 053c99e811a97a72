"""Access logs → downloaders: who received bytes of the leaked file, from when to when.

    report = analyze(["access.log", "access.log.1.gz"], "/files/detention-stats.xlsx",
                     size=48213, trusted_proxies=["203.0.113.0/24"])
    report.as_dict()                      # what `warroom logs --json` prints
    import_downloaders(journal, report)   # the Downloaders tab and the header count

formats/ reads each log format (one module a format); reader.py reads files fast, and
parallel.py a big plain one on every core; paths.py says which requests ask for the file;
clients.py finds the real client and the bots; tally.py decides complete or partial;
analysis.py puts it together; importer.py journals it, and loads (with the journal) only when
asked for: reading logs does not need it.
"""

from typing import TYPE_CHECKING, Any

from warroom.exposure.logs.analysis import Downloader, LogFile, LogReport, analyze
from warroom.exposure.logs.formats import NAMES as FORMAT_NAMES
from warroom.exposure.logs.hit import Hit

if TYPE_CHECKING:
    from warroom.exposure.logs.importer import LogImport, import_downloaders


def __getattr__(name: str) -> Any:
    if name in ("LogImport", "import_downloaders"):
        from warroom.exposure.logs import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FORMAT_NAMES", "Downloader", "Hit", "LogFile", "LogImport", "LogReport", "analyze",
           "import_downloaders"]
