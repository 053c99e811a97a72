"""The hash chain: hash = sha256(prev_hash + canonical JSON of the event).

The canonical JSON of an event is an object with sorted keys and no spaces:
{"actor":…,"data":…,"kind":…,"occurred_at":…,"occurred_offset":…,"recorded_at":…,
"recorded_offset":…,"subject":…,"uid":…}. `data` is itself canonical JSON and is hashed
exactly as stored, so a rewrite of the stored text, even to equivalent JSON, breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

GENESIS = "0" * 64

_TEMPLATE = (
    '{"actor":%s,"data":%s,"kind":%s,"occurred_at":%s,"occurred_offset":%s,'
    '"recorded_at":%s,"recorded_offset":%s,"subject":%s,"uid":%s}'
)


def canonical_data(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


_e = encode_basestring
_sha256 = hashlib.sha256


def event_hash(
    prev_hash: str,
    uid: str,
    occurred_at: str,
    occurred_offset: str,
    recorded_at: str,
    recorded_offset: str,
    actor: str,
    kind: str,
    subject: str | None,
    data_text: str,
) -> str:
    body = _TEMPLATE % (
        _e(actor), data_text, _e(kind), _e(occurred_at), _e(occurred_offset), _e(recorded_at),
        _e(recorded_offset), "null" if subject is None else _e(subject), _e(uid),
    )
    return _sha256((prev_hash + body).encode("utf-8", "surrogatepass")).hexdigest()
