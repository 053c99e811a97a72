"""The intake server's page, for the advocates who do not script: a tip form and the
one-client lookup, each signed with the organisation's token typed into the form. Plain HTML
from a jinja2 template (autoescaped), one small stylesheet served by the server itself, no
script at all: it works with the network off and with a screen reader. Each form carries a
fresh key, so sending the same form twice (a reload, a double click) records one tip."""


import secrets
from typing import Annotated

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from warroom.intake.gate import Gate, Journals, refusing
from warroom.model import HoldState, NotifyState
from warroom.model.kinds import TipChannel
from warroom.tips import TipDraft, submit
from warroom.tips.lookup import lookup
from warroom.tips.schema import TipFields, problem

NOTIFICATION = {
    NotifyState.PENDING: "not yet sent",
    NotifyState.PREPARED: "prepared, not yet delivered",
    NotifyState.DELIVERED: "delivered",
    NotifyState.ACKNOWLEDGED: "delivered and acknowledged",
    NotifyState.UNDELIVERABLE: "could not be delivered: please tell us how to reach your client",
    NotifyState.SUBSTITUTE: "given by substitute notice",
}
HOLD = {
    HoldState.NONE: "not yet placed",
    HoldState.REQUESTED: "requested",
    HoldState.PLACED: "placed: no removal while it holds",
    HoldState.LIFTED: "lifted",
    HoldState.EXPIRED: "expired",
}
STATUS_TITLE = {401: "Token not accepted", 413: "Too much text", 422: "Please check the form",
                429: "Too many requests", 503: "Busy"}

_env = None


def _template():
    global _env
    if _env is None:
        from jinja2 import Environment, PackageLoader

        _env = Environment(loader=PackageLoader("warroom.intake", "templates"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)
    return _env.get_template("page.html")


def render(request: Request, status: int = 200, headers: dict | None = None,
           **context) -> HTMLResponse:
    context.setdefault("form_key", secrets.token_urlsafe(16))
    context.setdefault("values", {})
    html = _template().render(receipt=request.state.receipt, **context)
    return HTMLResponse(html, status, headers=headers)


def error_page(request: Request, status: int, message: str,
               headers: dict | None = None) -> HTMLResponse:
    return render(request, status, headers, error=message,
                  title=STATUS_TITLE.get(status, "Not done"))


def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace(",", "\n").splitlines() if x.strip()]


def install(app: FastAPI, gate: Gate, journals: Journals) -> None:
    """The page's routes, kept out of the API's description."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        return render(request)

    @app.get("/page.css", include_in_schema=False)
    def stylesheet() -> Response:
        from importlib.resources import files

        css = files("warroom.intake").joinpath("templates/page.css").read_text("utf-8")
        return Response(css, media_type="text/css")

    @app.post("/page/tip", response_class=HTMLResponse, include_in_schema=False)
    def page_tip(request: Request, token: Annotated[str, Form()] = "",
                 text: Annotated[str, Form()] = "", contact: Annotated[str, Form()] = "",
                 urls: Annotated[str, Form()] = "", a_numbers: Annotated[str, Form()] = "",
                 confidential: Annotated[str, Form()] = "",
                 form_key: Annotated[str, Form()] = "") -> HTMLResponse:
        values = {"text": text, "contact": contact, "urls": urls, "a_numbers": a_numbers,
                  "confidential": bool(confidential)}
        try:
            org = gate.admit(token, "tips")
            tip = TipFields.model_validate({
                "text": text.strip(), "contact": contact.strip() or None,
                "urls": _lines(urls), "a_numbers": _lines(a_numbers),
                "confidential": bool(confidential)})
            draft = TipDraft(
                source=org["org"], org=org["org"], text=tip.text, contact=tip.contact,
                channel=TipChannel.PAGE, urls=tuple(tip.urls), a_numbers=tuple(tip.a_numbers),
                confidential=tip.confidential, key=form_key or None)
            receipt = refusing(lambda: submit(journals.get(), draft,
                                              actor=f"intake:{org['org']}"))
        except HTTPException as exc:
            return _refused(request, exc, values, "tip")
        except ValidationError as exc:
            where, what = problem(exc.errors()[0])
            return _refused(request, HTTPException(422, f"{where.replace('_', ' ')}: {what}"),
                            values, "tip")
        request.state.receipt = receipt.receipt
        return render(request, title="Tip received", sent=receipt.receipt,
                      duplicate=receipt.duplicate, org=org["org"])

    @app.post("/page/lookup", response_class=HTMLResponse, include_in_schema=False)
    def page_lookup(request: Request, token: Annotated[str, Form()] = "",
                    a_number: Annotated[str, Form()] = "",
                    birth_date: Annotated[str, Form()] = "") -> HTMLResponse:
        values = {"a_number": a_number, "birth_date": birth_date}
        try:
            org = gate.admit(token, "lookups")
            answer = refusing(lambda: lookup(journals.get(), org["org"], org["token_id"],
                                             a_number, birth_date))
        except HTTPException as exc:
            return _refused(request, exc, values, "lookup")
        request.state.receipt = answer.receipt
        return render(request, title="Lookup answered", answer=answer,
                      notification=NOTIFICATION.get(answer.notification_state),
                      hold=HOLD.get(answer.hold_state))

    def _refused(request: Request, exc: HTTPException, values: dict, focus: str):
        return render(request, exc.status_code, exc.headers, error=str(exc.detail),
                      title=STATUS_TITLE.get(exc.status_code, "Not done"), values=values,
                      focus=focus)
