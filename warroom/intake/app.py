"""The intake server's application: `create_app(journal)`.

JSON API (described at /openapi.json):
- `GET /health`: no token, no data;
- `POST /tips`: one tip from the organisation whose token is given (`Authorization: Bearer
  TOKEN`); an `Idempotency-Key` header makes a retry (or a race between servers) return the
  first tip's receipt instead of recording it twice; 201, or 200 for a repeat;
- `POST /lookup`: is one client in the file (A-number and birth date must both match).
Every reply carries a receipt (the `X-Receipt` header, and `receipt` in its JSON). Bodies
are checked against the schema (unknown fields refused: 422; not JSON: 400); a body over
64 KB is refused with 413; each token has its rate limits (429 with Retry-After)."""


from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from warroom.intake.gate import (
    LOOKUP_RATE,
    MAX_BODY,
    TIP_RATE,
    Envelope,
    Gate,
    Journals,
    refusing,
    wants_html,
)
from warroom.journal import queries
from warroom.journal.ratelimit import limits_path
from warroom.model import HoldState, NotifyState
from warroom.model.kinds import TipChannel
from warroom.tips import TipDraft, submit
from warroom.tips.lookup import lookup
from warroom.tips.schema import ANumber, TipFields, problem
from warroom.tips.submit import MAX_KEY

DESCRIPTION = """Tips and one-client lookups for the organisations helping the people exposed.

Each organisation has its own token (`Authorization: Bearer TOKEN`), given by the response
team. Every reply carries a receipt: quote it when you call us.

`POST /lookup` answers for **one** client at a time, and only when the A-number and the birth
date both match; a wrong birth date answers exactly as a client who is not in the file. There
is no bulk query and no range or hash-prefix query, and there will not be: A-numbers have few
digits, so a scheme in the style of Have I Been Pwned (send the first characters of a hash,
get every match back) would let anyone walk every prefix and rebuild the whole list. Lookups
are rate-limited per token and each one is recorded."""


class Problem(BaseModel):
    where: str
    problem: str


class ErrorReply(BaseModel):
    error: str
    receipt: str
    problems: list[Problem] = []


class Health(BaseModel):
    status: Literal["ok"]
    receipt: str


class TipReply(BaseModel):
    receipt: str = Field(description="the tip's receipt: the same for a repeated request")
    state: str = Field(description="new, verified, actioned or dismissed")
    duplicate: bool = Field(description="this tip had been received before")


class LookupBody(BaseModel):
    """One client: both fields must match the file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    a_number: ANumber = Field(description="A and 8 or 9 digits: A123456789")
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD",
                            json_schema_extra={"format": "date"})


class LookupReply(BaseModel):
    in_file: bool
    notification_state: NotifyState | None = Field(description="null unless in_file")
    hold_state: HoldState | None = Field(description="null unless in_file")
    receipt: str


def _errors(*codes: int) -> dict:
    said = {400: "the body is not JSON", 401: "no token, or not a valid one",
            409: "the Idempotency-Key was used for a different tip",
            413: "the body is over 64 KB", 422: "the body does not fit the schema",
            429: "too many requests from this token (see Retry-After)",
            503: "the journal is busy: try again"}
    return {code: {"model": ErrorReply, "description": said[code]} for code in codes}


def error_reply(request: Request, status: int, message: str,
                headers: dict | None = None, problems: list[dict] | None = None) -> Response:
    receipt = request.state.receipt
    if wants_html(request.url.path):
        from warroom.intake.page import error_page

        return error_page(request, status, message, headers)
    body = {"error": message, "receipt": receipt, "problems": problems or []}
    return JSONResponse(body, status, headers=headers)


def _too_large(scope):
    return error_reply(Request(scope), 413, f"the body is larger than {MAX_BODY // 1024} KB")


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 413:
        return _too_large(request.scope)
    return error_reply(request, exc.status_code, str(exc.detail), exc.headers)


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_reply(request, 400, "the body is not valid JSON")
    problems = [dict(zip(("where", "problem"), problem(e))) for e in errors[:20]]
    first = problems[0] if problems else {"where": "body", "problem": "invalid"}
    return error_reply(request, 422, f"{first['where']}: {first['problem']}", None, problems)


def create_app(journal: str | Path, *, tip_rate: str = TIP_RATE,
               lookup_rate: str = LOOKUP_RATE, counters: str | Path | None = None) -> FastAPI:
    """The intake application on a journal (which must exist). Rate limits are `limits`
    strings ("10/minute;100/day"); their counters live in `counters` (default: beside the
    journal), shared by every server on it."""
    path = Path(journal)
    journals = Journals(path)
    journals.get()   # a missing or unreadable journal is said now, not at the first request
    gate = Gate(journals, Path(counters) if counters else limits_path(path),
                {"tips": tip_rate, "lookups": lookup_rate})

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        journals.close()

    app = FastAPI(title="Warroom tip intake", version="1", description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.gate, app.state.journals = gate, journals
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY)   # streamed bodies
    app.add_middleware(Envelope, max_body=MAX_BODY, too_large=_too_large)
    app.add_exception_handler(StarletteHTTPException, _http_error)   # FastAPI's too
    app.add_exception_handler(RequestValidationError, _invalid)
    bearer = HTTPBearer(auto_error=False, description="the organisation's intake token")

    def organisation(what: str):
        def admitted(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                            Depends(bearer)]) -> dict:
            return gate.admit(credentials.credentials if credentials else None, what)
        return admitted

    @app.get("/health", response_model=Health, tags=["intake"])
    def health(request: Request) -> Health:
        """Is the server up? No token, no data."""
        return Health(status="ok", receipt=request.state.receipt)

    @app.post("/tips", status_code=201, response_model=TipReply, tags=["intake"],
              responses={200: {"model": TipReply, "description": "a repeat: already received"},
                         **_errors(400, 401, 409, 413, 422, 429, 503)})
    def post_tip(request: Request, response: Response, tip: TipFields,
                 org: Annotated[dict, Depends(organisation("tips"))],
                 idempotency_key: Annotated[str | None, Header(max_length=MAX_KEY)] = None,
                 ) -> TipReply:
        """Send a tip: what you found (a copy of the file, where), who is affected."""
        draft = TipDraft(source=org["org"], org=org["org"], text=tip.text, contact=tip.contact,
                         channel=TipChannel.API, urls=tuple(tip.urls),
                         a_numbers=tuple(tip.a_numbers), confidential=tip.confidential,
                         key=idempotency_key)
        receipt = refusing(lambda: submit(journals.get(), draft, actor=f"intake:{org['org']}"))
        request.state.receipt = receipt.receipt
        if receipt.duplicate:
            response.status_code = 200
        row = queries.tip(journals.get().conn, receipt.receipt)
        return TipReply(receipt=receipt.receipt, state=row["state"], duplicate=receipt.duplicate)

    @app.post("/lookup", response_model=LookupReply, tags=["intake"],
              responses=_errors(400, 401, 413, 422, 429, 503))
    def post_lookup(request: Request, body: LookupBody,
                    org: Annotated[dict, Depends(organisation("lookups"))]) -> LookupReply:
        """Is one client in the exposed file? Both the A-number and the birth date must
        match; otherwise the answer is `in_file: false`, whatever the reason."""
        answer = refusing(lambda: lookup(journals.get(), org["org"], org["token_id"],
                                        body.a_number, body.birth_date))
        request.state.receipt = answer.receipt
        return LookupReply(**answer.as_json())

    from warroom.intake.page import install

    install(app, gate, journals)
    return app
