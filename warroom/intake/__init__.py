"""The tip intake server: a face over `warroom.tips`, like the command line and the console.

`app.create_app(journal)` builds the ASGI application (FastAPI): the JSON API for the groups
that script against it (`POST /tips`, `POST /lookup`, `GET /health`, described at
`/openapi.json`) and a plain HTML page for those who do not (`page.py`). `server.serve` runs
it with uvicorn, on the loopback address unless told otherwise. Nothing here is imported
until `warroom intake serve` runs."""
