#!/usr/bin/env python3
"""An HTTP/1.1 echo backend for proxy_pass tests: answers with JSON describing the request it received
(method, target, version, header lines in order, body length and sha256), or per path:
  /status/NNN          that status with the JSON body
  /redirect            302 to http://<Host>/landing/ (tests proxy_redirect)
  /bytes/N             N bytes of 'x' by Content-Length
  /chunked/N           N bytes of 'y' chunked (in 1000-byte chunks)
  /close/N             N bytes of 'z' with no length, HTTP/1.0 style, then close
  /echo                the request body back, by Content-Length (streamed in 64 KiB reads)
  /headers             extra headers nginx hides (Server, Date, X-Pad, X-Accel-*) plus two Set-Cookie
  /cookies?c=V&c=W     one Set-Cookie per c argument (URL-decoded), in order (tests proxy_cookie_*)
Usage: echo_backend.py PORT | unix:/path/to.sock  (prints "ready" when listening)."""
import hashlib, json, os, socket, socketserver, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "echo-backend"

    def log_message(self, *args):
        pass

    def read_body(self, sink):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            while True:
                line = self.rfile.readline()
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return
                left = size
                while left:
                    part = self.rfile.read(min(left, 65536))
                    if not part:
                        return
                    sink(part)
                    left -= len(part)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length", "0") or "0")
            while left:
                part = self.rfile.read(min(left, 65536))
                if not part:
                    return
                sink(part)
                left -= len(part)

    def handle_one(self):
        path = self.path.split("?")[0]
        for prefix in ("/stream", "/ka", "/u", "/base"):
            if path.startswith(prefix + "/") and path != prefix + "/":
                path = path[len(prefix):]
        if path == "/echo":
            parts = []
            self.read_body(parts.append)
            body = b"".join(parts)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        digest = hashlib.sha256()
        count = [0]

        def sink(part):
            digest.update(part)
            count[0] += len(part)

        self.read_body(sink)
        status = 200
        extra = []
        if path.startswith("/status/"):
            status = int(path[8:11])
        elif path.startswith("/redirect"):
            status = 302
            extra.append(("Location", "http://%s/landing/" % self.headers.get("Host", "")))
        elif path.startswith("/bytes/"):
            n = int(path[7:])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            if self.command != "HEAD":
                self.stream(b"x", n)
            return
        elif path.startswith("/chunked/"):
            n = int(path[9:])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                left = n
                while left:
                    k = min(left, 1000)
                    self.wfile.write(b"%x\r\n" % k + b"y" * k + b"\r\n")
                    left -= k
                self.wfile.write(b"0\r\n\r\n")
            return
        elif path.startswith("/close/"):
            n = int(path[7:])
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            self.stream(b"z", n)
            self.close_connection = True
            return
        elif path.startswith("/cookies"):
            query = self.path.partition("?")[2]
            extra += [("Set-Cookie", v) for k, v in parse_qsl(query, keep_blank_values=True) if k == "c"]
        elif path.startswith("/headers"):
            extra += [("X-Pad", "avoid browser bug"), ("X-Accel-Buffering", "no"), ("Set-Cookie", "a=1"),
                      ("Set-Cookie", "b=2"), ("X-Custom", "kept")]
        info = {
            "method": self.command,
            "target": self.path,
            "version": self.request_version,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_length": count[0],
            "body_sha256": digest.hexdigest(),
        }
        body = json.dumps(info, sort_keys=True).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def stream(self, byte, n):
        block = byte * 65536
        while n:
            k = min(n, len(block))
            self.wfile.write(block[:k])
            n -= k

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = handle_one


class TcpServer(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        return conn, ("unix:", 0)


def main():
    where = sys.argv[1]
    if where.startswith("unix:"):
        path = where[5:]
        if os.path.exists(path):
            os.unlink(path)
        server = UnixServer(path, Handler)
    else:
        server = TcpServer(("127.0.0.1", int(where)), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
