"""URLs as they may be kept: the secrets they carry (user:password@, tokens, keys, signed-URL
signatures) replaced by a fixed mask before a URL is journaled, printed or exported.

The journal is append-only and hash-chained: a secret written once can never be removed, so
every URL that enters an event goes through `mask_url` first. The fetch itself uses the real
URL. Pure functions, no I/O; they never raise, and a malformed URL is masked as well as its
shape allows (a parser that gives up is not an excuse to keep a password).
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

MASK = "***"

# query (and fragment, and ;path) parameters whose value is a secret, by exact name ...
SECRET_NAMES = frozenset({
    "token", "key", "api_key", "apikey", "access_token", "password", "passwd", "pwd",
    "secret", "signature", "sig", "auth", "session",
    # AWS and Google signed URLs
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "awsaccesskeyid",
    "x-goog-signature", "x-goog-credential", "googleaccessid",
})
# ... by a word part of the name (refresh_token, clientSecret, X-Api-Key, auth_code) ...
SECRET_PARTS = frozenset({
    "token", "tokens", "secret", "secrets", "password", "passwd", "pwd", "key", "keys",
    "apikey", "auth", "sig", "signature", "session", "sessid", "credential", "credentials",
})
# ... or anywhere in it, once separators are dropped (accesstoken, jsessionid, xsecretx)
SECRET_INFIXES = ("token", "secret", "passw", "apikey", "accesskey", "sessid", "sessionid")

_AUTHORITY_START = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*:)?//")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_PAIR_SEP = re.compile(r"([&;])")
_PATH_PARAM = re.compile(r";([^;/=]*)=([^;/]*)")
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.\-]*://[^\s<>\"'`]+")
# a password holding an unencoded / ? or #: the userinfo ends at the last @ that is followed
# by a plausible host (greedy, so a stray @ inside the password is masked with it)
_BROKEN_USERINFO = re.compile(r".*@(?=[^@/\\?#]*(?:[/\\?#]|$))", re.S)
_NO_SCHEME_USERINFO = re.compile(r"[^/\\?#@\s]*@")


def is_url(text: str) -> bool:
    """An http(s) URL (what Warroom fetches), as opposed to a local path."""
    return bool(re.match(r"(?i)\s*https?://", text))


def secret_name(name: str) -> bool:
    """Does a parameter of this name carry a secret? Case-insensitive, percent-decoded."""
    plain = unquote_plus(name).strip()
    lower = plain.lower()
    if lower in SECRET_NAMES:
        return True
    if any(w.lower() in SECRET_PARTS for w in _WORDS.findall(plain)):
        return True
    squashed = re.sub(r"[^a-z0-9]", "", lower)
    return any(part in squashed for part in SECRET_INFIXES)


def mask_url(url: str) -> str:
    """The URL with its userinfo and secret-bearing parameter values replaced by `MASK`,
    every other character kept as it was (so the URL still names the same place).

    >>> mask_url("https://alice:pw@host/f.csv?api_key=K&page=2#access_token=T")
    'https://***@host/f.csv?api_key=***&page=2#access_token=***'
    """
    text = url if isinstance(url, str) else str(url)
    start = _AUTHORITY_START.match(text)
    if start:
        head, rest = text[:start.end()], _mask_userinfo(text[start.end():])
    elif found := _NO_SCHEME_USERINFO.match(text):     # alice:pw@host/f.csv
        head, rest = MASK + "@", text[found.end():]
    else:
        head, rest = "", text
    rest, fragment = _cut(rest, "#")
    rest, query = _cut(rest, "?")
    masked = head + _PATH_PARAM.sub(_masked_path_param, rest)
    if query is not None:
        masked += "?" + _mask_pairs(query)
    if fragment is not None:
        masked += "#" + _mask_pairs(fragment)
    return masked


def mask_urls_in(text: str) -> str:
    """Free text (a tip, an error message) with every URL in it masked."""
    return _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)


def _cut(text: str, sep: str) -> tuple[str, str | None]:
    before, found, after = text.partition(sep)
    return before, (after if found else None)


def _mask_userinfo(rest: str) -> str:
    """What follows `//`, with the userinfo before the host masked."""
    end = min((i for i in map(rest.find, "/\\?#") if i >= 0), default=len(rest))
    authority = rest[:end]
    at = authority.rfind("@")
    if at >= 0:
        return MASK + rest[at:]
    if _port_ok(authority):
        return rest
    if broken := _BROKEN_USERINFO.match(rest):
        return MASK + rest[broken.end() - 1:]
    host = authority.rsplit(":", 1)[0]          # `host:pw`: a "port" that is no port
    return f"{host}:{MASK}{rest[end:]}"


def _port_ok(authority: str) -> bool:
    host = authority.rsplit("]", 1)[-1]           # after an IPv6 literal, if any
    _, colon, port = host.rpartition(":")
    return not colon or port.isdigit() or port == ""


def _mask_pairs(text: str) -> str:
    parts = _PAIR_SEP.split(text)
    for i in range(0, len(parts), 2):
        name, eq, value = parts[i].partition("=")
        if eq and value and secret_name(name):
            parts[i] = f"{name}={MASK}"
    return "".join(parts)


def _masked_path_param(match: re.Match) -> str:
    name, value = match.group(1), match.group(2)
    return f";{name}={MASK}" if value and secret_name(name) else match.group(0)


# ---------------------------------------------------------------- tips


def urls_in(text: str) -> list[str]:
    """The URLs written in a free text (a tip, a mail), in order, each once, unmasked."""
    return list(dict.fromkeys(m.group(0).rstrip(".,;:!?)]}") for m in _URL_IN_TEXT.finditer(text)))
