"""Access-log formats, one by one: each sniffs its own lines and not another's, and parses
lines written from its public documentation (Apache mod_log_config, nginx log_format, AWS
CloudFront standard logging, AWS ALB access log entries, CDN JSON exports); then counts on a
real Apache log checked against counts made by hand with zcat and awk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warroom.exposure.logs import analyze, formats
from warroom.exposure.logs.formats import alb, cloudfront, combined, common, jsonl, nginx_xff

from conftest import real_data

# ---------------------------------------------------------------- samples from the docs

COMMON = ['192.0.2.10 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0"'
          ' 200 2326',
          '2001:db8::7 - - [10/Oct/2000:14:01:02 +0200] "HEAD /apache_pb.gif HTTP/1.1" 200 -']
COMBINED = ['192.0.2.10 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0"'
            ' 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
            '198.51.100.4 - - [28/Nov/2022:09:45:10 -0500] "GET /files/f.xlsx?dl=1 HTTP/1.1"'
            ' 206 65536 "-" "Mozilla/5.0 \\"quoted\\" (X11; Linux x86_64)"']
NGINX_XFF = ['10.0.0.5 - - [28/Nov/2022:14:45:00 +0000] "GET /files/f.xlsx HTTP/1.1" 200 48213'
             ' "https://www.example.gov/stats" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'
             ' "203.0.113.9, 10.0.0.1"',
             '198.51.100.23 - - [28/Nov/2022:14:46:00 +0000] "GET / HTTP/1.1" 200 612 "-"'
             ' "curl/7.86.0" "-"']
CF_HEADER = ["#Version: 1.0", "#Fields: " + " ".join(cloudfront.FIELDS)]
CF_33 = ["\t".join([
    "2019-12-04", "21:02:31", "LAX1", "392", "192.0.2.100", "GET",
    "d111111abcdef8.cloudfront.net", "/files/detention%2Dstats.xlsx", "206", "-",
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36", "-", "-",
    "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
    "d111111abcdef8.cloudfront.net", "https", "23", "0.001", "-", "TLSv1.2",
    "ECDHE-RSA-AES128-GCM-SHA256", "Hit", "HTTP/2.0", "-", "-", "11040", "0.001", "Hit",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "1024", "0",
    "1023"])]
CF_24 = ["\t".join([
    "2014-05-23", "01:13:11", "FRA2", "182", "2001:db8::1", "GET",
    "d111111abcdef8.cloudfront.net", "/view/my/file.html", "200", "www.displaymyfiles.com",
    "Mozilla/4.0%20(compatible;%20MSIE%205.0b1;%20Mac_PowerPC)", "-", "zip=98101",
    "RefreshHit", "MRVMF7KydIvxMWfJIglgwHQwZsbG2IhRJ07sn9AkKUFSHS9EXAMPLE==",
    "d111111abcdef8.cloudfront.net", "http", "-", "0.001", "192.0.2.55", "-", "-",
    "RefreshHit", "HTTP/1.1"])]
ALB = ['http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188'
       ' 192.0.2.131:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366'
       ' "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - -'
       ' arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/'
       '73e2d6bc24d8a067'
       ' "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z'
       ' "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
       'h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188'
       ' [2001:db8::9]:40914 10.0.1.252:48160 0.000 0.002 0.000 200 200 5 257'
       ' "GET https://www.example.gov:443/files/F.xlsx?x=1 HTTP/2.0"'
       ' "Mozilla/5.0 (X11; Linux x86_64)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2'
       ' arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/'
       '73e2d6bc24d8a067'
       ' "Root=1-58337327-72bd00b0343d75b906739c42" "-" "-" 1 2018-07-02T22:22:48.364000Z'
       ' "redirect" "https://example.com:80/" "-" "10.0.0.1:80" "200" "-" "-"']
JSONL = ['{"ClientIP":"203.0.113.7","ClientRequestHost":"www.example.gov",'
         '"ClientRequestMethod":"GET","ClientRequestURI":"/files/f.xlsx",'
         '"EdgeResponseBytes":48213,"EdgeResponseStatus":200,'
         '"EdgeStartTimestamp":"2022-11-28T14:45:00Z","RayID":"7715b2a1fc1a0b1e",'
         '"ClientRequestUserAgent":"Mozilla/5.0 (X11; Linux x86_64)"}',
         '{"remote_addr":"10.1.2.3","time_local":"28/Nov/2022:09:46:00 -0500",'
         '"request":"GET /files/f.xlsx HTTP/1.1","status":"206","body_bytes_sent":"1024",'
         '"http_user_agent":"Wget/1.21","http_x_forwarded_for":"198.51.100.8",'
         '"sent_http_content_range":"bytes 0-1023/48213"}',
         '{"EdgeStartTimestamp":1669646700000000000,"ClientIP":"2001:db8::2",'
         '"ClientRequestURI":"/files/f.xlsx","EdgeResponseStatus":304,"EdgeResponseBytes":0}']

SAMPLES = {common: COMMON, combined: COMBINED, nginx_xff: NGINX_XFF,
           cloudfront: CF_HEADER + CF_33, alb: ALB, jsonl: JSONL}


@pytest.mark.parametrize("fmt", list(SAMPLES), ids=lambda f: f.NAME)
def test_each_format_sniffs_its_own_lines_and_no_other(fmt):
    assert fmt.sniff(SAMPLES[fmt])
    for other, lines in SAMPLES.items():
        if other is not fmt:
            assert not fmt.sniff(lines), (fmt.NAME, other.NAME)
        assert formats.detect(lines) is other
    assert not fmt.sniff(["hello world", "this is not a log"])


def test_registry_names_every_format_once():
    assert sorted(formats.NAMES) == sorted(
        ["common", "combined", "combined-xff", "cloudfront", "alb", "jsonl"])
    assert formats.by_name("alb") is alb
    with pytest.raises(formats.UnknownFormat):
        formats.by_name("iis")


def test_common_log_format():
    hit = common.parse(COMMON[0])
    assert (hit.client, hit.method, hit.path, hit.status, hit.bytes) == (
        "192.0.2.10", "GET", "/apache_pb.gif", 200, 2326)
    assert hit.time == datetime(2000, 10, 10, 20, 55, 36, tzinfo=UTC)     # -0700 to UTC
    head = common.parse(COMMON[1])
    assert (head.client, head.method, head.bytes) == ("2001:db8::7", "HEAD", 0)
    assert head.time == datetime(2000, 10, 10, 12, 1, 2, tzinfo=UTC)
    assert common.parse(COMBINED[0]) is None           # a whole line, or a bad one


def test_combined_log_format():
    hit = combined.parse(COMBINED[0])
    assert hit.user_agent == "Mozilla/4.08 [en] (Win98; I ;Nav)"
    ranged = combined.parse(COMBINED[1])
    assert (ranged.path, ranged.status, ranged.bytes) == ("/files/f.xlsx", 206, 65536)
    assert ranged.user_agent == 'Mozilla/5.0 "quoted" (X11; Linux x86_64)'
    assert ranged.range_start is None                  # byte counts only in this format
    assert ranged.time == datetime(2022, 11, 28, 14, 45, 10, tzinfo=UTC)


def test_nginx_combined_with_forwarded_for():
    hit = nginx_xff.parse(NGINX_XFF[0])
    assert hit.peer == "10.0.0.5" and hit.forwarded_for == ("203.0.113.9", "10.0.0.1")
    assert nginx_xff.parse(NGINX_XFF[1]).forwarded_for == ()
    assert combined.parse(NGINX_XFF[0]) is None


def test_cloudfront_newer_fields_from_the_header():
    parse = formats.parser(cloudfront, CF_HEADER)
    hit = parse(CF_33[0])
    assert (hit.client, hit.path, hit.status, hit.bytes) == (
        "192.0.2.100", "/files/detention-stats.xlsx", 206, 392)
    assert (hit.range_start, hit.range_end) == (0, 1023)
    assert hit.user_agent.startswith("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    assert hit.time == datetime(2019, 12, 4, 21, 2, 31, tzinfo=UTC)


def test_cloudfront_older_fields_without_a_header():
    assert cloudfront.sniff(CF_24)
    hit = cloudfront.parse(CF_24[0])
    assert (hit.client, hit.path, hit.status, hit.forwarded_for) == (
        "2001:db8::1", "/view/my/file.html", 200, ("192.0.2.55",))
    assert hit.user_agent == "Mozilla/4.0 (compatible; MSIE 5.0b1; Mac_PowerPC)"
    assert hit.range_start is None
    # a 24-field line in a file whose header names 33 is read by its own width
    assert formats.parser(cloudfront, CF_HEADER)(CF_24[0]).client == "2001:db8::1"
    assert cloudfront.parse("2019-12-04\t21:02:31\tLAX1") is None


def test_alb_access_log_entries():
    hit = alb.parse(ALB[0])
    assert (hit.client, hit.method, hit.path, hit.status, hit.bytes, hit.user_agent) == (
        "192.0.2.131", "GET", "/", 200, 366, "curl/7.46.0")
    assert hit.time == datetime(2018, 7, 2, 22, 23, 0, 186641, tzinfo=UTC)
    six = alb.parse(ALB[1])
    assert (six.client, six.path) == ("2001:db8::9", "/files/f.xlsx")
    assert alb.client_address("2001:db8::9:40914") == "2001:db8::9"
    classic = ALB[0].split(" ", 1)[1]                  # the Classic Load Balancer's lines
    assert alb.parse(classic).client == "192.0.2.131"


def test_json_lines_with_the_default_and_a_given_field_map():
    first, second, third = (jsonl.parse(x) for x in JSONL)
    assert (first.client, first.path, first.status, first.bytes) == (
        "203.0.113.7", "/files/f.xlsx", 200, 48213)
    assert first.time == datetime(2022, 11, 28, 14, 45, tzinfo=UTC)
    assert (second.method, second.path, second.status) == ("GET", "/files/f.xlsx", 206)
    assert second.time == datetime(2022, 11, 28, 14, 46, tzinfo=UTC)
    assert (second.range_start, second.range_end, second.forwarded_for) == (
        0, 1023, ("198.51.100.8",))
    assert third.time == datetime(2022, 11, 28, 14, 45, tzinfo=UTC)          # nanoseconds
    assert jsonl.parse("[1, 2]") is None and jsonl.parse("{not json") is None
    mine = formats.parser(jsonl, (), {"client": "src", "path": ["obj", "key"],
                                      "time": "when", "bytes": "n", "status": "code"})
    hit = mine('{"src":"192.0.2.44","key":"/files/f.xlsx","when":1669646700,'
               '"code":200,"n":48213}')
    assert (hit.client, hit.path, hit.bytes, hit.method) == (
        "192.0.2.44", "/files/f.xlsx", 48213, "GET")


# ---------------------------------------------------------------- a real log

PDF = "/images/logstash_OSCON.pdf"
PDF_SIZE = 1693678
FACE = "/presentations/logstash-preso-1.0/images/ahhh___rage_face_by_samusmmx-d5g5zap.png"
FACE_ELSEWHERE = FACE.replace("logstash-preso-1.0", "logstash-scale11x")
FACE_SIZE = 175208


@pytest.fixture(scope="module")
def apache():
    return real_data("apache_logs.gz")


def test_real_log_counts_match_a_count_by_hand(apache):
    # zcat apache_logs.gz | awk '{p=$7; sub(/\?.*/,"",p)} tolower(p)=="/images/logstash_oscon.pdf"
    #   {req[$1]++; if ($6=="\"GET" && ($9==200||$9==206) && $10>0) {b[$1]+=$10; d[$1]++}} ...'
    report = analyze([apache], PDF, size=PDF_SIZE)
    assert (report.lines, report.bad_lines, report.requests) == (10_000, 0, 47)
    assert report.statuses == {"200": 11, "206": 34, "304": 2}
    assert report.files[0].format == "combined"
    assert len(report.downloaders) == 10 and all(d.complete for d in report.downloaders)
    assert sum(d.bytes for d in report.downloaders) == 23_711_492
    by = {d.client: d for d in report.downloaders}
    assert (by["89.2.87.1"].requests, by["89.2.87.1"].bytes) == (17, 2 * PDF_SIZE)
    assert (by["83.42.229.238"].requests, by["83.42.229.238"].bytes) == (17, 2 * PDF_SIZE)
    assert "66.249.73.185" not in by and "180.76.5.214" not in by     # their 304s only
    assert (report.first_access, report.last_access) == (
        "2015-05-17T13:05:12.000Z", "2015-05-20T03:05:40.000Z")
    assert report.size_seen == PDF_SIZE


def test_real_log_ranges_by_bytes_a_cut_off_range_and_a_lookalike_folder(apache):
    report = analyze([apache], FACE, size=FACE_SIZE)
    assert report.requests == 8 and report.statuses == {"200": 4, "206": 4}
    assert sum(d.bytes for d in report.downloaders) == 1_235_456
    by = {d.client: d for d in report.downloaders}
    assert len(by) == 8
    assert (by["173.252.110.119"].complete, by["173.252.110.119"].bytes) == (False, 9000)
    assert by["173.252.110.114"].complete_by == "bytes"     # one 206 of the whole size
    assert by["173.252.110.114"].bot                        # facebookexternalhit
    elsewhere = analyze([apache], FACE_ELSEWHERE, size=FACE_SIZE)
    assert (elsewhere.requests, len(elsewhere.downloaders)) == (128, 104)
    assert elsewhere.statuses == {"200": 115, "304": 13}
    assert sum(d.bytes for d in elsewhere.downloaders) == 20_148_920


def test_real_log_truncated_line_is_one_bad_line(apache):
    # line 8899 stops inside its user agent (no closing quote): plaso warns on it too;
    # line 8910 asks for the same script and is whole
    named = analyze([apache], "/scripts/grok-py-test/configlib.py")
    assert (named.bad_lines, named.requests, named.bad_samples) == (
        1, 1, [f"{apache}:8899"])
    every = analyze([apache], "/nothing-here", exhaustive=True)
    assert (every.lines, every.bad_lines, every.requests) == (10_000, 1, 0)
