"""The rules of `analyze`, each on a small generated log: which requests ask for the file, who
the real client is, what counts as a download and as the whole file, bots, and reading
(gzip, many files in any order, time zones, bad lines, bytes that are not UTF-8)."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from warroom.errors import ReadError
from warroom.exposure.logs import analyze
from warroom.exposure.logs.clients import BadNetwork, Bots
from warroom.exposure.logs.formats import cloudfront
from warroom.exposure.logs.paths import Needle, normalize

PATH = "/files/detention-stats.xlsx"
SIZE = 48_213
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/107.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def line(client: str, request: str, status: int = 200, sent: int | str = SIZE, *,
         at: str = "28/Nov/2022:09:45:00 -0500", agent: str = BROWSER,
         xff: str | None = None) -> str:
    """One nginx combined line (with "$http_x_forwarded_for" when xff is given)."""
    tail = f' "{xff}"' if xff is not None else ""
    return (f'{client} - - [{at}] "{request}" {status} {sent} "-" "{agent}"{tail}\n')


def get(path: str = PATH) -> str:
    return f"GET {path} HTTP/1.1"


def write(folder: Path, name: str, lines: list[str], packed: bool = False) -> Path:
    target = folder / name
    data = "".join(lines).encode()
    target.write_bytes(gzip.compress(data) if packed else data)
    return target


def clients(report) -> dict:
    return {d.client: d for d in report.downloaders}


# ---------------------------------------------------------------- which requests


@pytest.mark.parametrize("target", [
    PATH, PATH + "?x=1", PATH + "#top", "/files/detention%2Dstats.xlsx",
    "/FILES/Detention-Stats.XLSX",
    "/files%2Fdetention-stats.xlsx", "https://www.example.gov/files/detention-stats.xlsx",
    "http://www.example.gov:80/files/detention-stats.xlsx?dl=1", "//files//detention-stats.xlsx",
    "/files/./old/../detention-stats.xlsx"])
def test_a_request_for_the_file_however_it_is_written(tmp_path, target):
    log = write(tmp_path, "a.log", [line("192.0.2.1", get(target))])
    report = analyze([log], PATH, size=SIZE)
    assert report.requests == 1 and clients(report)["192.0.2.1"].complete


@pytest.mark.parametrize("target", [
    "/files/detention-stats.xlsx.bak", "/old/detention-stats.xlsx", "/detention-stats.xlsx",
    "/files/detention-stats-2022-11-21.xlsx", "/files/detention-stats.xls",
    "/files/detention-stats.xlsx/extra", "/search?q=/files/detention-stats.xlsx"])
def test_lookalikes_are_not_the_file(tmp_path, target):
    log = write(tmp_path, "a.log", [line("192.0.2.1", get(target))])
    report = analyze([log], PATH, size=SIZE)
    assert report.requests == 0 and report.downloaders == []


def test_the_path_may_be_given_as_a_url_and_the_name_prefilter_finds_encodings():
    assert normalize("https://host/Files/F%2Ex?y") == "/files/f.x"
    needle = Needle.of(normalize(PATH))
    assert needle.words == (b"detention", b"stats", b"xlsx")
    for written in (b"/files/detention%2dstats.xlsx", b"detention\\x2dstats.xlsx",
                    b"detention%252dstats%2exlsx", b"detention stats.xlsx"):
        assert needle.shape.search(written)
    assert not needle.shape.search(b"/detention/statistics.xlsx")
    assert needle.pick(b"detention detention stats xlsx xlsx") == b"stats"
    assert Needle.of("/") is None


def test_the_target_as_an_absolute_url(tmp_path):
    log = write(tmp_path, "a.log", [line("192.0.2.1", get())])
    assert analyze([log], "https://www.example.gov" + PATH).requests == 1


# ---------------------------------------------------------------- who


def test_behind_a_private_proxy_the_client_is_the_first_forwarded_address(tmp_path):
    log = write(tmp_path, "a.log", [
        line("10.0.0.5", get(), xff="203.0.113.9, 10.0.0.1"),
        line("172.16.4.4", get(), xff="unknown, 2001:db8::5"),
        line("fd00::1", get(), xff="[2001:db8::6]:4711"),
        line("198.51.100.7", get(), xff="203.0.113.66"),     # public peer: XFF is only kept
        line("192.168.1.1", get(), xff="-")])
    found = clients(analyze([log], PATH, size=SIZE))
    assert set(found) == {"203.0.113.9", "2001:db8::5", "2001:db8::6", "198.51.100.7",
                          "192.168.1.1"}


def test_a_trusted_proxy_range_given_by_the_caller(tmp_path):
    log = write(tmp_path, "a.log", [line("198.51.100.7", get(), xff="203.0.113.66")])
    found = clients(analyze([log], PATH, size=SIZE, trusted_proxies=["198.51.100.0/24"]))
    assert set(found) == {"203.0.113.66"}
    with pytest.raises(BadNetwork):
        analyze([log], PATH, trusted_proxies=["not-a-range"])


def test_an_alb_client_is_one_client_whatever_its_port(tmp_path):
    def alb(client: str, status: int, sent: int) -> str:
        return (f"https 2022-11-28T14:45:00.000000Z app/lb/50dc {client} 10.0.0.1:80 0.0 0.0 0.0"
                f' {status} {status} 120 {sent} "GET https://www.example.gov:443{PATH} HTTP/1.1"'
                f' "{BROWSER}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:x "Root=1" "-" "-" 0\n')

    log = write(tmp_path, "lb.log", [alb("192.0.2.10:50000", 206, 30_000),
                                     alb("192.0.2.10:50001", 206, 30_000),
                                     alb("[2001:db8::3]:443", 200, SIZE + 300)])
    report = analyze([log], PATH, size=SIZE)
    found = clients(report)
    assert report.files[0].format == "alb"
    assert set(found) == {"192.0.2.10", "2001:db8::3"}
    assert (found["192.0.2.10"].requests, found["192.0.2.10"].complete_by) == (2, "bytes")
    assert found["2001:db8::3"].complete_by == "full"    # sent_bytes counts headers too


# ---------------------------------------------------------------- what counts


def test_only_gets_answered_200_or_206_with_bytes_are_downloads(tmp_path):
    log = write(tmp_path, "a.log", [
        line("192.0.2.1", f"HEAD {PATH} HTTP/1.1", 200, 0),
        line("192.0.2.2", get(), 304, "-"), line("192.0.2.3", get(), 301, 162),
        line("192.0.2.4", get(), 404, 153), line("192.0.2.5", get(), 503, 190),
        line("192.0.2.6", get(), 200, 0), line("192.0.2.7", f"POST {PATH} HTTP/1.1", 200, 10),
        line("192.0.2.8", get(), 200, 20_000)])          # cut off: partial
    report = analyze([log], PATH, size=SIZE)
    assert report.requests == 8
    assert report.statuses == {"200": 4, "301": 1, "304": 1, "404": 1, "503": 1}
    assert list(clients(report)) == ["192.0.2.8"]
    partial = clients(report)["192.0.2.8"]
    assert (partial.complete, partial.bytes) == (False, 20_000)
    assert report.first_access == report.last_access == "2022-11-28T14:45:00.000Z"


def test_complete_by_a_whole_200_by_byte_counts_or_with_no_size_known(tmp_path):
    log = write(tmp_path, "a.log", [
        line("192.0.2.1", get(), 200, SIZE),
        line("192.0.2.2", get(), 206, 30_000), line("192.0.2.2", get(), 206, SIZE - 30_000),
        line("192.0.2.3", get(), 206, 30_000),
        line("192.0.2.4", get(), 200, 10_000), line("192.0.2.4", get(), 206, SIZE - 10_000)])
    found = clients(analyze([log], PATH, size=SIZE))
    assert {c: d.complete_by for c, d in found.items()} == {
        "192.0.2.1": "full", "192.0.2.2": "bytes", "192.0.2.3": None, "192.0.2.4": "bytes"}
    unsized = clients(analyze([log], PATH))
    assert {c: d.complete_by for c, d in unsized.items()} == {
        "192.0.2.1": "status", "192.0.2.2": None, "192.0.2.3": None, "192.0.2.4": "status"}


def test_complete_by_ranges_that_cover_the_file(tmp_path):
    def cf(client: str, start: int, end: int, status: int = 206) -> str:
        row = ["2022-11-28", "14:45:00", "IAD89-C1", str(end - start + 1 + 400), client, "GET",
               "d1.cloudfront.net", PATH, str(status), "-", "Mozilla/5.0%20(X11)", "-", "-",
               "Hit", "id==", "www.example.gov", "https", "120", "0.01", "-", "TLSv1.3",
               "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "51234", "0.01", "Hit",
               "application/octet-stream", str(end - start + 1), str(start), str(end)]
        return "\t".join(row) + "\n"

    header = ["#Version: 1.0\n", "#Fields: " + " ".join(cloudfront.FIELDS) + "\n"]
    log = write(tmp_path, "cf.log", [*header,
                                     cf("192.0.2.1", 0, 29_999), cf("192.0.2.1", 30_000, SIZE - 1),
                                     cf("192.0.2.2", 0, 29_999), cf("192.0.2.2", 0, 29_999),
                                     cf("192.0.2.2", 40_000, SIZE - 1)])   # a gap: 30,000-39,999
    report = analyze([log], PATH, size=SIZE)
    found = clients(report)
    assert report.lines == 7 and report.bad_lines == 0
    assert found["192.0.2.1"].complete_by == "ranges"
    assert not found["192.0.2.2"].complete      # its bytes add up to more than the size


def test_bots_from_crawlerdetect_and_an_empty_user_agent_is_a_person(tmp_path):
    log = write(tmp_path, "a.log", [
        line("192.0.2.1", get(), agent=GOOGLEBOT), line("192.0.2.2", get(), agent=""),
        line("192.0.2.3", get(), agent="-"), line("192.0.2.4", get(), agent="Wget/1.21.3"),
        line("192.0.2.5", get(), agent=GOOGLEBOT), line("192.0.2.5", get(), agent=BROWSER)])
    found = clients(analyze([log], PATH, size=SIZE))
    assert {c: d.bot for c, d in found.items()} == {
        "192.0.2.1": True, "192.0.2.2": False, "192.0.2.3": False, "192.0.2.4": True,
        "192.0.2.5": False}                          # a person shares that address
    assert found["192.0.2.5"].user_agents == [GOOGLEBOT, BROWSER]
    assert found["192.0.2.2"].user_agents == []
    bots = Bots()                                    # one verdict a distinct user agent
    assert [bots(a) for a in (GOOGLEBOT, BROWSER, GOOGLEBOT, "")] == [True, False, True, False]
    assert len(bots._seen) == 3


# ---------------------------------------------------------------- reading


def test_gzip_by_magic_many_files_in_any_order_and_time_zones(tmp_path):
    later = write(tmp_path, "access.log", [   # gzip bytes under a plain name
        line("192.0.2.1", get(), 206, 8_000, at="28/Nov/2022:16:10:00 +0100"),
        line("2001:db8::1", get(), at="28/Nov/2022:10:00:00 -0500")], packed=True)
    earlier = write(tmp_path, "access.log.1.gz", [   # plain bytes under a .gz name
        line("192.0.2.1", get(), 206, 9_000, at="28/Nov/2022:09:30:00 -0500")])
    one, other = analyze([later, earlier], PATH, size=SIZE), analyze([earlier, later], PATH,
                                                                     size=SIZE)
    assert one.downloaders == other.downloaders and one.logs == other.logs
    found = clients(one)
    assert (found["192.0.2.1"].first_seen, found["192.0.2.1"].last_seen) == (
        "2022-11-28T14:30:00.000Z", "2022-11-28T15:10:00.000Z")
    assert found["192.0.2.1"].bytes == 17_000 and found["2001:db8::1"].complete
    assert (one.first_access, one.last_access) == (
        "2022-11-28T14:30:00.000Z", "2022-11-28T15:10:00.000Z")
    assert [f.lines for f in one.files] == [2, 1]


def test_gzip_members_joined_and_a_stream_cut_short(tmp_path):
    first = gzip.compress(line("192.0.2.1", get()).encode())
    second = gzip.compress("".join(line(f"192.0.2.{i}", get()) for i in range(2, 200)).encode())
    joined = tmp_path / "joined.gz"
    joined.write_bytes(first + second)
    assert len(analyze([joined], PATH).downloaders) == 199
    cut = tmp_path / "cut.gz"
    cut.write_bytes((first + second)[:-400])
    report = analyze([cut], PATH)
    assert report.files[0].truncated and 1 < len(report.downloaders) < 199


def test_bad_lines_non_utf8_bytes_and_a_last_line_without_newline(tmp_path):
    log = tmp_path / "a.log"
    log.write_bytes(
        line("192.0.2.1", get()).encode()
        + f'garbage {PATH} not a log line\n'.encode()
        + line("192.0.2.2", get(), agent="Mozilla/5.0 caf\xe9").encode("latin-1")
        + b'192.0.2.3 - - [28/Nov/2022:09:45:00 -0500] "GET /files/detention-stats.xlsx\xff'
          b' HTTP/1.1" 200 48213 "-" "x"\n'
        + line("192.0.2.4", get()).encode().rstrip(b"\n")
    )
    report = analyze([log], PATH, size=SIZE)
    assert (report.lines, report.bad_lines, report.requests) == (5, 1, 3)
    assert report.bad_samples == [f"{log}:2"]
    assert set(clients(report)) == {"192.0.2.1", "192.0.2.2", "192.0.2.4"}
    assert clients(report)["192.0.2.2"].user_agents == ["Mozilla/5.0 café"]
    cut = tmp_path / "cut.log"
    cut.write_text(line("192.0.2.1", get()) + line("192.0.2.9", get())[:85])
    report = analyze([cut], PATH)
    assert (report.lines, report.bad_lines, len(report.downloaders)) == (2, 1, 1)


def test_formats_mixed_across_files_forced_or_unknown(tmp_path):
    plain = write(tmp_path, "nginx.log", [line("192.0.2.1", get(), xff="-")])
    json_lines = write(tmp_path, "cdn.json", [
        f'{{"ClientIP":"192.0.2.2","ClientRequestURI":"{PATH}","EdgeResponseStatus":200,'
        f'"EdgeResponseBytes":{SIZE},"EdgeStartTimestamp":"2022-11-28T15:00:00Z"}}\n'])
    junk = write(tmp_path, "notes.txt", ["nothing here\n", "at all\n"])
    report = analyze([plain, json_lines, junk], PATH, size=SIZE)
    assert [f.format for f in report.files] == ["combined-xff", "jsonl", None]
    assert report.files[2].error and len(report.downloaders) == 2
    forced = analyze([plain], PATH, format="common")
    assert (forced.bad_lines, forced.requests) == (1, 0)


def test_a_big_inflation_is_read_in_blocks_and_progress_is_told(tmp_path):
    many = [line(f"192.0.2.{i // 1000 + 1}", get() if i % 1000 == 0 else "GET / HTTP/1.1")
            for i in range(100_000)]
    log = write(tmp_path, "big.gz", many, packed=True)        # about 12 MB from far less
    told: list[tuple[int, int]] = []
    report = analyze([log], PATH, size=SIZE, progress=lambda done, total: told.append(
        (done, total)))
    assert (report.lines, report.requests, len(report.downloaders)) == (100_000, 100, 100)
    assert told[-1] == (log.stat().st_size, log.stat().st_size)
    assert [d for d, _ in told] == sorted(d for d, _ in told)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        analyze([tmp_path / "nope.log"], PATH)
    with pytest.raises(ReadError):
        analyze([], PATH)


@pytest.mark.parametrize("block", [1, 2, 5, 17, 64, 1 << 22])
@pytest.mark.parametrize("packed", [False, True])
def test_lines_across_blocks_are_found_and_numbered(tmp_path, monkeypatch, block, packed):
    from warroom.exposure.logs import reader

    monkeypatch.setattr(reader, "BLOCK", block)
    monkeypatch.setattr(reader, "GZ_BLOCK", max(1, block // 2))
    text = ("GET /a\r\n\nDETENTION-Stats.xlsx one\nnothing\nx detention%2dstats.xlsx\n"
            "detention stats\n\n\ndetention-stats.XLSX last")
    log = write(tmp_path, "a.log", [text], packed=packed)
    needle = Needle.of(normalize(PATH))
    scan = reader.Scan()
    found = list(reader.candidates(log, needle, scan))
    assert found == [(3, "DETENTION-Stats.xlsx one"), (5, "x detention%2dstats.xlsx"),
                     (9, "detention-stats.XLSX last")]
    assert scan.lines == 9
    every = reader.Scan()
    assert [n for n, _ in reader.candidates(log, None, every)] == list(range(1, 10))
    assert every.lines == 9


@pytest.mark.parametrize("block", [3, 64, 1 << 22])
@pytest.mark.parametrize("packed", [False, True])
def test_a_rare_word_of_digits_is_searched_as_written_and_case_still_aside(
        tmp_path, monkeypatch, block, packed):
    from warroom.exposure.logs import reader

    monkeypatch.setattr(reader, "BLOCK", block)
    monkeypatch.setattr(reader, "GZ_BLOCK", max(1, block // 2))
    path = "/files/roster-20221128.xlsx"
    others = [line(f"198.51.100.{i}", get("/files/roster-20221121.xlsx")) for i in range(40)]
    asked = [get("/FILES/ROSTER-20221128.XLSX"), get("/files/Roster%2D20221128.Xlsx?dl=1"),
             get("/files/roster-20221128.xlsx.bak"), get("/reports/summary-20221128.pdf")]
    lines = ([line("192.0.2.6", get("/Files/Roster-20221128.xlsx"))] + others[:20]
             + [line("192.0.2.7", r) for r in asked] + others[20:]
             + [line("192.0.2.8", get(path)).rstrip("\n")])          # first and last lines too
    log = write(tmp_path, "a.log", lines, packed=packed)
    needle = Needle.of(normalize(path))
    assert needle.pick("".join(lines).lower().encode()) == b"20221128"   # the word searched
    scan = reader.Scan()
    assert [n for n, _ in reader.candidates(log, needle, scan)] == [1, 22, 23, 24, 46]  # no .pdf
    assert scan.lines == 46
    report = analyze([log], path)
    assert (report.lines, report.requests) == (46, 4)           # not the .bak


def test_newlines_are_counted_as_count_would_on_long_lines_short_lines_and_pieces():
    from warroom.exposure.logs.reader import PROBE, newlines

    rnd = random.Random(3)
    long = b"".join(b"x" * rnd.randint(50, 400) + b"\r\n" for _ in range(300))
    short = b"\n" * 30_000 + b"ab\n" * 5_000       # what would make memchr crawl
    for buffer in (long, short, long + short, short + long, long[:-2] + b"no newline"):
        spans = [(0, len(buffer)), (1, len(buffer) - 1), (0, PROBE), (PROBE - 1, PROBE + 2)]
        spans += [sorted(rnd.sample(range(len(buffer) + 1), 2)) for _ in range(20)]
        for start, end in spans:
            assert newlines(buffer, start, end) == buffer.count(b"\n", start, end)


def test_a_letter_percent_encoded_is_the_file_but_only_the_exhaustive_read_sees_it(tmp_path):
    # the pre-filter's documented limit (paths.Needle): RFC 3986 says never to encode a
    # letter, so the fast read does not look for one; `exhaustive` parses every line
    log = write(tmp_path, "a.log", [line("192.0.2.1", get()),
                                    line("192.0.2.2", get("/files/%64etention-stat%73.xlsx"))])
    fast, every = analyze([log], PATH), analyze([log], PATH, exhaustive=True)
    assert (fast.lines, fast.requests, every.requests) == (2, 1, 2)
    assert sorted(clients(every)) == ["192.0.2.1", "192.0.2.2"]
