"""WSGI test app for the worker shim tests (tests/NginxLite.Interop.Tests/Apps).

`application` is wrapped in wsgiref.validate.validator: any PEP 3333 violation by the server (environ types and keys,
wsgi.input/wsgi.errors methods, start_response and write() behaviour, iterable close()) raises inside the request
and turns it into a 500, so every 200 below also says "the server followed PEP 3333".
`unchecked` is the same app without the validator, for wsgi.file_wrapper (the validator hides the wrapper from the
server, so the sendfile path can only be reached without it).
"""
import hashlib
import io
import json
import os
import sys
import threading
import time
from urllib.parse import parse_qs
from wsgiref.validate import validator

BARRIER = threading.Barrier(4, timeout=20)
ENV_KEYS = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
            "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "HTTP_HOST", "HTTP_X_CUSTOM",
            "REQUEST_URI")


def _read_all(stream):
    # The validator allows read() only with a size argument.
    parts = []
    while True:
        data = stream.read(65536)
        if not data:
            return b"".join(parts)
        parts.append(data)


def _text(start_response, status, text, extra=()):
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
                   + list(extra))
    return [body]


def _route(environ, start_response):
    path = environ["PATH_INFO"]
    method = environ["REQUEST_METHOD"]
    stream = environ["wsgi.input"]

    if path == "/env":
        lines = ["%s=%s" % (k, environ[k]) for k in ENV_KEYS if k in environ]
        lines.append("wsgi.url_scheme=%s" % environ["wsgi.url_scheme"])
        lines.append("wsgi.version=%r" % (environ["wsgi.version"],))
        lines.append("wsgi.multithread=%r" % environ["wsgi.multithread"])
        lines.append("wsgi.input_terminated=%r" % environ.get("wsgi.input_terminated"))
        lines.append("has_http_content_type=%r" % ("HTTP_CONTENT_TYPE" in environ))
        return _text(start_response, "200 OK", "\n".join(lines) + "\n")

    if path == "/query":
        q = parse_qs(environ["QUERY_STRING"])
        return _text(start_response, "200 OK", "name=%s tags=%s\n" % (q.get("name", [""])[0], ",".join(q.get("tag", []))))

    if path == "/form" and method == "POST":
        n = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(stream.read(n).decode("ascii"))
        return _text(start_response, "200 OK", "user=%s comment=%s\n" % (form["user"][0], form["comment"][0]))

    if path == "/json" and method == "POST":
        doc = json.loads(_read_all(stream))
        doc["seen"] = True
        body = json.dumps(doc, sort_keys=True).encode()
        start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    if path == "/sha":
        body = _read_all(stream)
        return _text(start_response, "200 OK", "%d %s terminated=%r\n" % (
            len(body), hashlib.sha256(body).hexdigest(), environ.get("wsgi.input_terminated")))

    if path == "/lines":
        first = stream.readline()
        limited = stream.readline(4)  # PEP 3333: readline's size hint
        rest = [line for line in stream]  # iteration
        return _text(start_response, "200 OK", json.dumps({
            "first": first.decode(), "limited": limited.decode(), "rest": [r.decode() for r in rest]}) + "\n")

    if path == "/readlines":
        return _text(start_response, "200 OK", json.dumps([l.decode() for l in stream.readlines()]) + "\n")

    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])

        def parts():
            for i in range(5):
                yield ("part %d\n" % i).encode()
                yield b""  # empty items are allowed and send nothing
        return parts()

    if path == "/big":
        # 64 MiB in 64 KiB parts: far more than the socket buffers, so a client that goes away is noticed mid-way.
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        part = b"x" * 65536
        return (part for _ in range(1024))

    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written 1\n")
        write(b"written 2\n")
        return [b"returned 3\n"]

    if path == "/file":
        name = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wsgi_test_app.py")
        f = open(name, "rb")
        f.seek(int(environ["QUERY_STRING"] or 0))
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return environ["wsgi.file_wrapper"](f, 4096)

    if path == "/filelike":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return environ["wsgi.file_wrapper"](io.BytesIO(b"not a real file\n" * 1000), 1000)

    if path == "/exc-before":
        # An error after start_response but before any output: the app replaces the status with exc_info.
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("replaced")
        except ValueError:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"replaced by exc_info\n"]

    if path == "/exc-after":
        # After the head is sent, start_response(exc_info) must re-raise the app's exception (PEP 3333).
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"partial\n")
        try:
            raise KeyError("late")
        except KeyError:
            try:
                start_response("500 Oops", [("Content-Type", "text/plain")], sys.exc_info())
            except KeyError:
                environ["wsgi.errors"].write("EXC_INFO_RERAISED\n")
                environ["wsgi.errors"].flush()
                return [b"after re-raise\n"]
        return [b"start_response did not re-raise\n"]

    if path == "/raise-after-head":
        # An error once output began: the response cannot be replaced, the server cuts it (closes the connection).
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"partial\n")
        raise RuntimeError("boom-after-head")

    if path == "/raise":
        raise RuntimeError("boom-from-test-app")

    if path == "/hop":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Connection", "keep-alive")])
        return [b"hop-by-hop header accepted\n"]

    if path == "/cookies":
        return _text(start_response, "200 OK", "cookies\n",
                     [("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; HttpOnly"), ("Set-Cookie", "c=3")])

    if path == "/redirect":
        start_response("302 Found", [("Location", "/elsewhere"), ("Content-Type", "text/plain"), ("Content-Length", "0")])
        return []

    if path == "/print":
        print("PRINTED-BY-APP")
        return _text(start_response, "200 OK", "printed\n")

    if path == "/barrier":
        # Four requests meet here: with --threads 4 they are served at once; one at a time, the barrier breaks.
        BARRIER.wait()
        return _text(start_response, "200 OK", "met\n")

    if path == "/hold":
        # Holds the request until the test creates the release file; tells the test it is in flight first.
        flag = environ["QUERY_STRING"]
        open(flag + ".started", "w").close()
        for _ in range(3000):
            if os.path.exists(flag + ".release"):
                break
            time.sleep(0.01)
        return _text(start_response, "200 OK", "held and released\n")

    return _text(start_response, "404 Not Found", "no route %s\n" % path)


class _Closing:
    """An iterable with close(), counting closes: PEP 3333 says the server calls close() once per request."""

    closed = 0

    def __init__(self, inner):
        self._inner = inner

    def __iter__(self):
        return iter(self._inner)

    def close(self):
        _Closing.closed += 1
        close = getattr(self._inner, "close", None)
        if close:
            close()


def _closing_app(environ, start_response):
    if environ["PATH_INFO"] == "/closed":
        return _text(start_response, "200 OK", "closed=%d\n" % _Closing.closed)
    result = _route(environ, start_response)
    return result if environ["PATH_INFO"] in ("/file", "/filelike") else _Closing(result)


application = validator(_closing_app)
unchecked = _route
