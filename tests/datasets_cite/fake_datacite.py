"""A local HTTP server that speaks the parts of DataCite's REST API the hub uses.

``POST /dois`` registers a DOI (201), refusing one already taken (422, as DataCite does) or
one missing a required attribute (422); ``PUT /dois/<doi>`` updates one (200); ``GET
/dois/<doi>`` reads one back. Every request needs the account's basic authentication (401
otherwise). ``failures`` holds status codes to answer, one per request, before behaving.
"""

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: What DataCite refuses to make findable without (kernel 4's required properties).
REQUIRED = ("doi", "url", "creators", "titles", "publisher", "publicationYear", "types")


@dataclass
class FakeDataCite:
    user: str
    password: str
    dois: dict[str, dict] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


def _handler(state: FakeDataCite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            return

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.api+json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _error(self, status: int, title: str) -> None:
            self._answer(status, {"errors": [{"status": str(status), "title": title}]})

        def _authorized(self) -> bool:
            account = base64.b64encode(f"{state.user}:{state.password}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {account}"

        def _attributes(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length))
                return body["data"]["attributes"]
            except (ValueError, KeyError, TypeError):
                return None

        def _handle(self, method: str) -> None:
            state.requests.append((method, self.path))
            if state.failures:
                status = state.failures.pop(0)
                return self._error(status, "Simulated failure")
            if not self._authorized():
                return self._error(401, "Bad credentials")
            if method == "GET":
                doi = self.path.removeprefix("/dois/").lower()
                if doi not in state.dois:
                    return self._error(404, "The resource you are looking for doesn't exist.")
                return self._answer(200, {"data": {"id": doi, "attributes": state.dois[doi]}})
            attributes = self._attributes()
            if attributes is None:
                return self._error(400, "You need to provide a payload following the JSONAPI spec")
            missing = [name for name in REQUIRED if not attributes.get(name)]
            if missing:
                return self._error(422, f"Missing: {', '.join(missing)}")
            doi = attributes["doi"].lower()
            if method == "POST" and doi in state.dois:
                return self._error(422, "This DOI has already been taken")
            if method == "PUT" and self.path.lower() != f"/dois/{doi}":
                return self._error(422, "The DOI in the path and the body differ")
            state.dois[doi] = {**attributes, "state": "findable"}
            self._answer(201 if method == "POST" else 200, {"data": {"id": doi, "type": "dois"}})

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._handle("PUT")

    return Handler


def serve(state: FakeDataCite):
    """Start the server on a free local port; return (server, thread). Stop it with
    ``server.shutdown()`` and ``server.server_close()``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
