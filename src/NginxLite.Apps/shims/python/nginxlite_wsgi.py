#!/usr/bin/python3
"""NginxLite WSGI worker: a standard-library-only WSGI server (PEP 3333) on a Unix socket speaking uwsgi.

The worker contract (docs/app-shims.md) says how the supervisor starts it, what it prints and how it stops:

    python3 nginxlite_wsgi.py --socket PATH (--module MOD[:CALLABLE] | --wsgi-file FILE) [--callable NAME]
            [--mount /PREFIX=MOD:CALLABLE]... [--threads N] [--chdir DIR] [--pythonpath DIR]...
            [--listen-backlog N] [--buffer-size BYTES] [--socket-mode OCTAL] [--loader]

With --loader (lazy_apps off, uWSGI's default: the app is loaded once in the master and the workers are forked from
it) the process loads the app, listens on --socket as a SOCK_SEQPACKET control socket and forks workers on request;
see run_loader.

Exit statuses: 0 graceful (SIGTERM/SIGINT), 22 app load failed (uWSGI's "no app loaded"), 1 other start-up failure.
A request is the uwsgi packet (https://uwsgi-docs.readthedocs.io/en/latest/Protocol.html), then the body; the answer
is a raw HTTP response. As uWSGI, the response ends with the connection's close (one request per connection) -- unless
the packet's modifier2 is FRAMED_MODIFIER2, NginxLite's app_pass mark: the response then goes out in frames (a u32le
length and that many bytes), a frame of length 0 ends it and the connection stays open for the next request
(docs/apps.md, "What app_pass sends"). nginx's uwsgi_pass sends modifier2 0 and always gets today's close.
"""

import argparse
import contextlib
import importlib
import importlib.machinery
import importlib.util
import os
import select
import signal
import socket
import stat
import struct
import sys
import threading
import traceback

READY_LINE = b"NGINXLITE-READY\n"
EXIT_APP_LOAD_FAILED = 22  # uWSGI's UWSGI_FAILED_APP_CODE with need-app
EXIT_STARTUP_FAILED = 1
RECV_SIZE = 65536
PACKET_BUFFER = 4 + 65535 + 4096  # the largest uwsgi packet (u16 vars size) and the start of a body
FRAMED_MODIFIER2 = 78  # 'N': app_pass's mark, "frame the response and keep the connection" (docs/apps.md)
END_FRAME = b"\0\0\0\0"
SENDFILE_BLOCK = 1 << 20
DRAIN_TIMEOUT = 10.0  # seconds to wait for an unread body's end or the front end's close after the response

# PEP 3333 "Other HTTP Features": applications must not send hop-by-hop headers (RFC 2616 13.5.1).
HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                        "te", "trailers", "transfer-encoding", "upgrade"))

_header = struct.Struct("<BHB")
_frame = struct.Struct("<I")


def log(message):
    sys.stderr.write("nginxlite_wsgi[%d]: %s\n" % (os.getpid(), message))
    sys.stderr.flush()


class ClientDisconnected(OSError):
    """The front end went away while the body was being read or the response written."""


# ---------------------------------------------------------------------------------------------------------------
# wsgi.input: a streaming, buffered reader that never reads past the body (PEP 3333 "Input and Error Streams").
# ---------------------------------------------------------------------------------------------------------------

class _Input:
    """Base of the two body readers: subclasses append decoded body bytes to self._buf in _more()."""

    __slots__ = ("_sock", "_buf", "_eof")

    def __init__(self, sock):
        self._sock = sock
        self._buf = bytearray()
        self._eof = False

    def _more(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _take(self, n):
        buf = self._buf
        if n >= len(buf):
            data = bytes(buf)
            buf.clear()
            return data
        data = bytes(buf[:n])
        del buf[:n]
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            while self._more():
                pass
            return self._take(len(self._buf))
        while len(self._buf) < size and self._more():
            pass
        return self._take(size)

    def readline(self, size=-1):
        # PEP 3333: the optional size argument of readline() is supported (as of WSGI 1.0.1).
        start = 0
        while True:
            i = self._buf.find(b"\n", start)
            if i >= 0:
                n = i + 1
                break
            if size is not None and 0 <= size <= len(self._buf):
                n = size
                break
            start = len(self._buf)
            if not self._more():
                n = len(self._buf)
                break
        if size is not None and 0 <= size < n:
            n = size
        return self._take(n)

    def readlines(self, hint=-1):
        lines = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def pending(self):
        """True while part of the body is still on the socket (the app did not read it all)."""
        return False

    def drain(self):
        """Read and drop what the app left unread. Closing an AF_UNIX socket with unread data makes the peer's
        next read fail with ECONNRESET instead of EOF, which nginx reports as an upstream error."""
        self._buf.clear()
        while self._more():
            self._buf.clear()


class LengthInput(_Input):
    """CONTENT_LENGTH bytes follow the uwsgi packet."""

    __slots__ = ("_remaining", "_raw")

    def __init__(self, sock, leftover, length):
        _Input.__init__(self, sock)
        self._remaining = length
        self._raw = leftover

    def _more(self):
        if self._remaining <= 0:
            return False
        raw = self._raw
        if raw:
            self._raw = b""
            if len(raw) > self._remaining:
                raw = raw[:self._remaining]
        else:
            raw = self._sock.recv(min(RECV_SIZE, self._remaining))
            if not raw:
                self._remaining = 0
                raise ClientDisconnected("the front end closed the connection before the end of the body")
        self._remaining -= len(raw)
        self._buf += raw
        return True

    def pending(self):
        return self._remaining > 0


class ChunkedInput(_Input):
    """No CONTENT_LENGTH and Transfer-Encoding: chunked: the body on the socket is HTTP chunked coding
    (RFC 9112 7.1), decoded here; the app reads to EOF (PEP 3333 wsgi.input_terminated)."""

    __slots__ = ("_raw", "_chunk_left", "_done")

    def __init__(self, sock, leftover):
        _Input.__init__(self, sock)
        self._raw = bytearray(leftover)
        self._chunk_left = 0
        self._done = False

    def _recv(self):
        data = self._sock.recv(RECV_SIZE)
        if not data:
            self._done = True
            raise ClientDisconnected("the front end closed the connection inside a chunked body")
        self._raw += data

    def _line(self):
        while True:
            i = self._raw.find(b"\r\n")
            if i >= 0:
                line = bytes(self._raw[:i])
                del self._raw[:i + 2]
                return line
            if len(self._raw) > 8192:
                self._done = True
                raise ValueError("chunked body: chunk-size line too long")
            self._recv()

    def _more(self):
        if self._done:
            return False
        if self._chunk_left == 0:
            line = self._line()
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                self._done = True
                raise ValueError("chunked body: bad chunk size %r" % size_text[:32])
            if size == 0:
                while self._line():  # trailer fields, up to the empty line
                    pass
                self._done = True
                return False
            self._chunk_left = size
        if not self._raw:
            self._recv()
        n = min(self._chunk_left, len(self._raw))
        self._buf += self._raw[:n]
        del self._raw[:n]
        self._chunk_left -= n
        if self._chunk_left == 0:
            while len(self._raw) < 2:
                self._recv()
            if self._raw[:2] != b"\r\n":
                self._done = True
                raise ValueError("chunked body: missing CRLF after chunk data")
            del self._raw[:2]
        return True

    def pending(self):
        return not self._done


class EmptyInput(_Input):
    __slots__ = ()

    def _more(self):
        return False


# ---------------------------------------------------------------------------------------------------------------
# wsgi.file_wrapper (PEP 3333 "Optional Platform-Specific File Handling")
# ---------------------------------------------------------------------------------------------------------------

class FileWrapper:
    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, "close"):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


def _discard_queued(conn):
    """Drop bytes the client sent beyond the request (e.g. more than CONTENT_LENGTH) that are already queued: closing
    a Unix or TCP socket with unread data makes the kernel reset the connection (ECONNRESET at the client), which can
    cost the client the response it has not read yet. Non-blocking reads of at most 1 MiB; nothing waits."""
    try:
        conn.setblocking(False)
        for _ in range(16):
            if not conn.recv(65536):
                break
    except OSError:
        pass


def _sendfile_fd(wrapper):
    """The fd of a wrapped regular file, or None when the wrapped object is not a real file."""
    try:
        fd = wrapper.filelike.fileno()
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except (AttributeError, OSError, ValueError, TypeError):
        pass
    return None


# ---------------------------------------------------------------------------------------------------------------
# One request
# ---------------------------------------------------------------------------------------------------------------

def _last_frames(data):
    """The last bytes of a framed response: data as one frame (none when empty), then the end frame."""
    return _frame.pack(len(data)) + data + END_FRAME if data else END_FRAME


class _Response:
    """start_response / write() / the iterable's output for one request. Framed (app_pass): each send is one frame,
    and finish() sends the end frame, so the connection can carry the next request."""

    __slots__ = ("sock", "protocol", "head_only", "framed", "status", "headers", "head_sent", "length", "sent")

    def __init__(self, sock, protocol, head_only, framed):
        self.sock = sock
        self.protocol = protocol
        self.head_only = head_only
        self.framed = framed
        self.status = None
        self.headers = None
        self.head_sent = False
        self.length = None  # the app's Content-Length: never send more (PEP 3333 "Handling the Content-Length Header")
        self.sent = 0

    def start_response(self, status, headers, exc_info=None):
        # PEP 3333 "The start_response() Callable": exc_info rules.
        if exc_info:
            try:
                if self.head_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() called a second time without exc_info")
        if type(status) is not str:
            raise TypeError("status must be a str, got %r" % type(status).__name__)
        if len(status) < 4 or not status[:3].isdigit() or status[3] != " ":
            raise ValueError("status must look like '200 OK', got %r" % status)
        if type(headers) is not list:
            raise TypeError("response_headers must be a list, got %r" % type(headers).__name__)
        length = None
        for item in headers:
            if type(item) is not tuple or len(item) != 2:
                raise TypeError("each response header must be a (name, value) tuple, got %r" % (item,))
            name, value = item
            if type(name) is not str or type(value) is not str:
                raise TypeError("header names and values must be str: %r" % (item,))
            lname = name.lower()
            if lname in HOP_BY_HOP:
                raise ValueError("hop-by-hop header not allowed (PEP 3333): %r" % name)
            if not name or ":" in name or "\r" in name or "\n" in name or " " in name:
                raise ValueError("invalid header name %r" % name)
            if "\r" in value or "\n" in value:
                raise ValueError("control characters in header %r value" % name)
            if lname == "content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
        self.status = status
        self.headers = headers
        self.length = length
        return self.write

    def _head(self):
        if self.status is None:
            raise AssertionError("the application returned data before calling start_response()")
        lines = [self.protocol, " ", self.status, "\r\n"]
        for name, value in self.headers:
            lines.append(name)
            lines.append(": ")
            lines.append(value)
            lines.append("\r\n")
        lines.append("\r\n")
        self.head_sent = True
        return "".join(lines).encode("latin-1")

    def _clip(self, data):
        if self.length is not None:
            room = self.length - self.sent
            if len(data) > room:
                data = data[:max(room, 0)]
        self.sent += len(data)
        return data

    def write(self, data):
        """The write() callable (and the path for each item of the iterable): head + first chunk in one send."""
        if type(data) is not bytes:
            if isinstance(data, (bytearray, memoryview)):
                data = bytes(data)
            else:
                raise TypeError("response body items must be bytes, got %r" % type(data).__name__)
        if self.head_only:
            data = b""
        else:
            data = self._clip(data)
        if not self.head_sent:
            self._send(self._head() + data)
        elif data:
            self._send(data)

    def write_all(self, body):
        """The whole body at once (a list or tuple result: every block is already there) with the head and, framed,
        the end frame: one send for the common small response."""
        if self.head_only:
            body = b""
        else:
            body = self._clip(body)
        data = body if self.head_sent else self._head() + body
        if self.framed:
            self._sendall(_last_frames(data))
        elif data:
            self._sendall(data)

    def finish(self):
        if not self.head_sent:
            self._send(self._head())
        if self.framed:
            self._sendall(END_FRAME)

    def sendfile(self, fd):
        if not self.head_sent:
            self._send(self._head())
        if self.head_only:
            return
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        remaining = None if self.length is None else self.length - self.sent
        if self.framed:
            # One frame of the bytes the file has now (clipped to Content-Length); a file that shrinks meanwhile
            # cannot fill its frame: the connection is closed without the end frame (the front end sees the cut).
            size = max(os.fstat(fd).st_size - offset, 0)
            remaining = size if remaining is None else min(size, max(remaining, 0))
            if remaining == 0:
                return
            self._sendall(_frame.pack(remaining))
            frame_end = self.sent + remaining
        while remaining is None or remaining > 0:
            count = SENDFILE_BLOCK if remaining is None else min(SENDFILE_BLOCK, remaining)
            try:
                n = os.sendfile(self.sock.fileno(), fd, offset, count)
            except (BrokenPipeError, ConnectionResetError) as e:
                raise ClientDisconnected(str(e))
            if n == 0:
                break
            offset += n
            self.sent += n
            if remaining is not None:
                remaining -= n
        if self.framed and self.sent != frame_end:
            raise OSError("the file shrank while it was sent")

    def _send(self, data):
        if self.framed:
            if not data:
                return
            data = _frame.pack(len(data)) + data
        self._sendall(data)

    def _sendall(self, data):
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            raise ClientDisconnected(str(e))


class Server:
    def __init__(self, apps, default_app, threads, buffer_size):
        self.mounts = sorted(apps.items(), key=lambda kv: len(kv[0]), reverse=True)  # longest prefix first
        self.by_script_name = dict(apps)
        self.default_app = default_app
        self.threads = threads
        self.buffer_size = buffer_size
        self.base_environ = {
            "wsgi.version": (1, 0),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": threads > 1,
            "wsgi.multiprocess": True,  # the supervisor may run several workers of one app
            "wsgi.run_once": False,
            "wsgi.file_wrapper": FileWrapper,
        }

    # -- the uwsgi packet ------------------------------------------------------------------------------------

    def _read_packet(self, sock, buf, view, n):
        """The uwsgi packet whose first n bytes are in buf (a connection's reused receive buffer): (vars dict,
        leftover bytes, framed) or None when the request must be refused."""
        while n < 4:
            more = sock.recv_into(view[n:])
            if not more:
                return None
            n += more
        modifier1, size, modifier2 = _header.unpack_from(buf, 0)
        if modifier1 not in (0, 5, 30):
            log("refused a request with uwsgi modifier1 %d (only 0 = WSGI is served)" % modifier1)
            return None
        if size > self.buffer_size:
            log("refused a request: uwsgi vars block of %d bytes is larger than buffer-size %d"
                % (size, self.buffer_size))
            return None
        while n < 4 + size:
            more = sock.recv_into(view[n:])
            if not more:
                return None
            n += more
        # One latin-1 decode of the whole block (PEP 3333 native strings are latin-1: one char per byte), so
        # the u16le lengths are read with ord() and each key and value is a str slice.
        block = str(view[4:4 + size], "latin-1")
        env = self.base_environ.copy()
        pos = 0
        try:
            while pos < size:
                klen = ord(block[pos]) | (ord(block[pos + 1]) << 8)
                pos += 2
                key = block[pos:pos + klen]
                pos += klen
                vlen = ord(block[pos]) | (ord(block[pos + 1]) << 8)
                pos += 2
                env[key] = block[pos:pos + vlen]
                pos += vlen
        except IndexError:
            pos = -1
        if pos != size:
            log("refused a request: malformed uwsgi vars block")
            return None
        if modifier1 == 30:
            # uWSGI's UWSGI_MODIFIER_MANAGE_PATH_INFO: strip SCRIPT_NAME from the front of PATH_INFO.
            script = env.get("SCRIPT_NAME", "")
            path = env.get("PATH_INFO", "")
            if script and path.startswith(script):
                env["PATH_INFO"] = path[len(script):]
        return env, bytes(view[4 + size:n]) if n > 4 + size else b"", modifier2 == FRAMED_MODIFIER2

    def _select_app(self, env):
        """Mounted apps: SCRIPT_NAME names a mount point exactly (uWSGI's app id), else the longest mount point that
        prefixes PATH_INFO at a '/' boundary moves to SCRIPT_NAME (uWSGI --mount with manage-script-name)."""
        script = env.get("SCRIPT_NAME", "")
        if script and script in self.by_script_name:
            return self.by_script_name[script]
        path = env.get("PATH_INFO", "")
        for prefix, app in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                env["SCRIPT_NAME"] = script + prefix
                env["PATH_INFO"] = path[len(prefix):]
                return app
        return self.default_app

    # -- serving ---------------------------------------------------------------------------------------------

    def serve(self, sock, idle):
        """Requests on one connection until it ends: one when the front end does not frame (nginx's uwsgi_pass), more
        while app_pass marks them. idle(sock, True/False) brackets the wait for a next request (a graceful stop ends
        a connection that waits, not one that serves)."""
        buf = bytearray(PACKET_BUFFER)
        view = memoryview(buf)
        n = sock.recv_into(buf)
        while n and self.handle(sock, buf, view, n):
            if not idle(sock, True):
                return
            try:
                n = sock.recv_into(buf)
            except OSError:
                return
            finally:
                idle(sock, False)

    def handle(self, sock, buf, view, n):
        """One request; True when the connection may carry the next one (a framed response that ended cleanly, with
        the whole body read)."""
        packet = self._read_packet(sock, buf, view, n)
        if packet is None:
            return False
        env, leftover, framed = packet
        # CGI/PEP 3333: Content-Type and Content-Length are CONTENT_TYPE / CONTENT_LENGTH, never HTTP_* (nginx sends
        # both spellings because uwsgi_params sets the unprefixed ones).
        ct = env.pop("HTTP_CONTENT_TYPE", None)
        if ct is not None and "CONTENT_TYPE" not in env:
            env["CONTENT_TYPE"] = ct
        env.pop("HTTP_CONTENT_LENGTH", None)
        if "SCRIPT_NAME" not in env:
            env["SCRIPT_NAME"] = ""
        if "PATH_INFO" not in env:
            env["PATH_INFO"] = ""
        method = env.setdefault("REQUEST_METHOD", "GET")
        if "SERVER_NAME" not in env:
            env["SERVER_NAME"] = "localhost"
        if "SERVER_PORT" not in env:
            env["SERVER_PORT"] = "80"
        protocol = env.setdefault("SERVER_PROTOCOL", "HTTP/1.0")

        length_text = env.get("CONTENT_LENGTH", "")
        terminated = False
        if length_text:
            try:
                length = int(length_text)
                if length < 0:
                    raise ValueError
            except ValueError:
                log("refused a request: bad CONTENT_LENGTH %r" % length_text[:32])
                return False
            stream = LengthInput(sock, leftover, length) if length else EmptyInput(sock)
        elif "chunked" in env.get("HTTP_TRANSFER_ENCODING", "").lower():
            stream = ChunkedInput(sock, leftover)
            terminated = True
        else:
            stream = EmptyInput(sock)

        scheme = env.get("UWSGI_SCHEME")
        if scheme not in ("http", "https"):
            scheme = "https" if env.get("HTTPS", "").lower() in ("on", "1") else "http"
        env["wsgi.url_scheme"] = scheme
        env["wsgi.input"] = stream
        env["wsgi.input_terminated"] = terminated

        app = self._select_app(env) if self.mounts else self.default_app
        response = _Response(sock, protocol, method == "HEAD", framed)
        if app is None:
            log("no application mounted for SCRIPT_NAME=%r PATH_INFO=%r" % (env["SCRIPT_NAME"], env["PATH_INFO"]))
            return self._error_500(response) and framed
        complete = self._run(app, env, response)
        if framed:
            return complete and self._read_unread_body(sock, stream)
        if stream.pending():
            self._finish_unread_body(sock, stream)
        return False

    @staticmethod
    def _read_unread_body(sock, stream):
        """Framed: the response has ended with its end frame; what the app left of the body is still ahead of the next
        request on the connection, so it is read and dropped (app_pass keeps a connection only when it sent the whole
        body). False when that fails: the connection is closed."""
        if not stream.pending():
            return True
        try:
            sock.settimeout(DRAIN_TIMEOUT)
            stream.drain()
            sock.settimeout(None)
            return True
        except (OSError, ValueError):
            return False

    @staticmethod
    def _finish_unread_body(sock, stream):
        """The app answered without reading the whole body. nginx stops sending a request body once the upstream's
        response has begun and waits for the response to end, so first end the response (SHUT_WR: the front end
        sees EOF), then drop the rest of the body until it is consumed or the front end closes (bounded)."""
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(DRAIN_TIMEOUT)
            stream.drain()
        except (OSError, ValueError):
            pass

    def _run(self, app, env, response):
        """Runs the app and sends its response; True when the response was sent whole."""
        result = None
        complete = False
        try:
            result = app(env, response.start_response)
            fd = None
            if isinstance(result, FileWrapper) and not response.head_only:
                fd = _sendfile_fd(result)
            if fd is not None:
                if response.status is None:
                    raise AssertionError("the application returned before calling start_response()")
                response.sendfile(fd)
                response.finish()
            elif type(result) in (list, tuple) and all(type(data) is bytes for data in result):
                # Every block is already there: one send of head, body (and end frame) loses no time (PEP 3333 asks
                # for no delay while the application produces its next block).
                response.write_all(result[0] if len(result) == 1 else b"".join(result))
            else:
                if not response.head_only:
                    for data in result:
                        if data:
                            response.write(data)
                            if response.length is not None and response.sent >= response.length:
                                break
                response.finish()
            complete = True
        except ClientDisconnected as e:
            log("client disconnected during the response: %s" % e)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            if not response.head_sent:
                complete = self._error_500(response)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    traceback.print_exc(file=sys.stderr)
                    sys.stderr.flush()
        return complete

    @staticmethod
    def _error_500(response):
        body = b"Internal Server Error\n"
        head = ("%s 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                % (response.protocol, len(body))).encode("latin-1")
        data = head if response.head_only else head + body
        if response.framed:
            data = _last_frames(data)
        try:
            response.sock.sendall(data)
            return True
        except OSError:
            return False


# ---------------------------------------------------------------------------------------------------------------
# Start-up
# ---------------------------------------------------------------------------------------------------------------

class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("%s: error: %s\n" % (self.prog, message))
        sys.exit(EXIT_STARTUP_FAILED)


def parse_args(argv):
    p = _ArgumentParser(prog="nginxlite_wsgi", description="NginxLite WSGI worker (uwsgi protocol on a Unix socket)")
    p.add_argument("--socket", required=True)
    p.add_argument("--module")
    p.add_argument("--wsgi-file")
    p.add_argument("--callable", default=None)
    p.add_argument("--mount", action="append", default=[])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--chdir")
    p.add_argument("--pythonpath", action="append", default=[])
    p.add_argument("--listen-backlog", type=int, default=100)
    p.add_argument("--buffer-size", type=int, default=4096)
    p.add_argument("--socket-mode", default="0660")
    # Off unless asked (the flag, or NGINXLITE_IMPORT_GUARD=1 in the environment the supervisor passes).
    p.add_argument("--import-guard", action="store_true",
                   default=os.environ.get("NGINXLITE_IMPORT_GUARD") == "1")
    # lazy_apps off: load once, then fork the workers on the supervisor's request (run_loader).
    p.add_argument("--loader", action="store_true")
    args = p.parse_args(argv)
    if args.module and args.wsgi_file:
        p.error("--module and --wsgi-file are exclusive")
    if not (args.module or args.wsgi_file or args.mount):
        p.error("one of --module, --wsgi-file or --mount is required")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    if args.buffer_size < 1 or args.listen_backlog < 1:
        p.error("--buffer-size and --listen-backlog must be positive")
    try:
        args.socket_mode = int(args.socket_mode, 8)
    except ValueError:
        p.error("--socket-mode must be octal, got %r" % args.socket_mode)
    for m in args.mount:
        if "=" not in m:
            p.error("--mount takes /PREFIX=MODULE[:CALLABLE] or /PREFIX=FILE.py, got %r" % m)
    return args


def _load_file(path, callable_name):
    """uWSGI's wsgi-file loader: the file is executed as a module named uwsgi_file_<mangled path>, so its
    `if __name__ == '__main__'` block does not run (plugins/python/pyloader.c uwsgi_file_loader)."""
    path = os.path.abspath(path)
    name = "uwsgi_file_" + "".join(c if c.isalnum() else "_" for c in path)
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return _callable(module, callable_name, path)


def _load_module(spec_text, callable_name):
    if ":" in spec_text:
        module_name, callable_name = spec_text.split(":", 1)
    else:
        module_name = spec_text
    module = importlib.import_module(module_name)
    return _callable(module, callable_name, module_name)


def _callable(module, name, where):
    # A "callable" may be an expression like `create_app()` in uWSGI's module syntax only for Paste; keep it a name.
    app = getattr(module, name, None)
    if app is None:
        raise LookupError("%s has no callable named %r" % (where, name))
    if not callable(app):
        raise TypeError("%s.%s is not callable" % (where, name))
    return app


def _load(target, callable_name):
    if target.endswith(".py") or target.endswith(".wsgi"):
        return _load_file(target, callable_name)
    return _load_module(target, callable_name)


class _GuardedServer:
    """Stands in for the server a module starts at import time (`make_server(...).serve_forever()` in a dev-server
    script): never bound, never run; the app callable the module defined stays importable."""

    def __init__(self, *args, **kwargs):
        pass

    def serve_forever(self, *args, **kwargs):
        log("import guard: serve_forever() at import time returns at once (NginxLite serves the app)")

    def handle_request(self):
        pass

    def shutdown(self):
        pass

    def server_close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextlib.contextmanager
def import_guard(enabled):
    """--import-guard: while the app is imported, wsgiref.simple_server.make_server returns a server that is never
    bound, and socketserver.BaseServer.serve_forever returns at once; both are restored after the import."""
    if not enabled:
        yield
        return
    import socketserver
    import wsgiref.simple_server as simple_server
    saved = (simple_server.make_server, socketserver.BaseServer.serve_forever)

    def make_server(host, port, app, *args, **kwargs):
        log("import guard: make_server(%r, %r, ...) at import time is not bound (NginxLite serves the app)" % (host, port))
        return _GuardedServer()

    def serve_forever(self, *args, **kwargs):
        log("import guard: serve_forever() at import time returns at once (NginxLite serves the app)")

    simple_server.make_server = make_server
    socketserver.BaseServer.serve_forever = serve_forever
    try:
        yield
    finally:
        simple_server.make_server, socketserver.BaseServer.serve_forever = saved


def load_apps(args):
    callable_name = args.callable or "application"
    default_app = None
    if args.module:
        default_app = _load_module(args.module, callable_name)
    elif args.wsgi_file:
        default_app = _load_file(args.wsgi_file, callable_name)
    apps = {}
    for m in args.mount:
        prefix, target = m.split("=", 1)
        prefix = prefix.rstrip("/")
        app = _load(target, callable_name)
        if prefix == "":
            default_app = app
        else:
            apps[prefix] = app
    return apps, default_app


def bind(path, mode, backlog, kind=socket.SOCK_STREAM):
    """A Unix socket listening on path (a stale socket file there is replaced) with the given mode: a worker's
    SOCK_STREAM socket, or the loader's SOCK_SEQPACKET control socket."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISDIR(st.st_mode):
            raise OSError("%s is a directory" % path)
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, kind)
    sock.bind(path)
    os.chmod(path, mode)
    sock.listen(backlog)
    return sock


class Acceptors:
    """--threads N threads, each accepting and serving one connection at a time (uWSGI's threads); stop() is
    the graceful SIGTERM/SIGINT: stop accepting, let in-flight requests end."""

    def __init__(self, listener, server):
        self.listener = listener
        self.server = server
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.idle = set()  # app_pass connections waiting for their next request

    def install_signals(self):
        # Installed before the READY line so that a signal sent as soon as the supervisor sees it is handled.
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def stop(self, signum=None, frame=None):
        # Shutting the listener down wakes every thread blocked in accept() (Linux); the socket file stays
        # (the supervisor owns it). Kept app_pass connections that wait for a next request are shut down too (the
        # supervisor closes them before SIGTERM; this covers a stop it did not start); one serving a request ends
        # after its response.
        if not self.stopping.is_set():
            self.stopping.set()
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            with self.lock:
                for conn in self.idle:
                    try:
                        conn.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

    def _idle(self, conn, waiting):
        """Brackets a kept connection's wait for its next request; False: stopping, close it instead."""
        with self.lock:
            if not waiting:
                self.idle.discard(conn)
                return True
            if self.stopping.is_set():
                return False
            self.idle.add(conn)
            return True

    def _accept_loop(self):
        accept = self.listener.accept
        serve = self.server.serve
        idle = self._idle
        stopping = self.stopping
        while not stopping.is_set():
            try:
                conn, _ = accept()
            except OSError as e:
                if stopping.is_set():
                    return
                log("accept() failed: %s" % e)
                stopping.wait(0.1)  # EMFILE and friends: do not spin
                continue
            try:
                serve(conn, idle)
            except Exception:
                traceback.print_exc(file=sys.stderr)
                sys.stderr.flush()
            finally:
                _discard_queued(conn)
                conn.close()

    def run(self):
        workers = [threading.Thread(target=self._accept_loop, name="nginxlite-wsgi-%d" % i)
                   for i in range(self.server.threads)]
        for t in workers:
            t.start()
        for t in workers:
            while t.is_alive():
                t.join(1.0)  # a timed join keeps the main thread responsive to signals
        self.listener.close()


def main(argv=None):
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the contract: SIGHUP is the supervisor's, not the worker's
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.chdir:
            os.chdir(args.chdir)
    except OSError as e:
        log("chdir %s: %s" % (args.chdir, e))
        return EXIT_STARTUP_FAILED
    # uWSGI puts the working directory (chdir) and each pythonpath first on sys.path.
    for p in reversed([os.getcwd()] + [os.path.abspath(p) for p in args.pythonpath]):
        sys.path.insert(0, p)

    try:
        with import_guard(args.import_guard):
            apps, default_app = load_apps(args)
    except KeyboardInterrupt:
        return 0  # SIGINT while loading: a stop, not a failed app
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        log("no application could be loaded (exit %d)" % EXIT_APP_LOAD_FAILED)
        sys.stderr.flush()
        return EXIT_APP_LOAD_FAILED

    if args.loader:
        return run_loader(args, apps, default_app)
    return serve(args, args.socket, apps, default_app)


def serve(args, path, apps, default_app):
    """Binds the worker socket, says NGINXLITE-READY and serves until SIGTERM/SIGINT; the exit status."""
    try:
        listener = bind(path, args.socket_mode, args.listen_backlog)
    except OSError as e:
        log("cannot listen on %s: %s" % (path, e))
        return EXIT_STARTUP_FAILED

    acceptors = Acceptors(listener, Server(apps, default_app, args.threads, args.buffer_size))
    acceptors.install_signals()
    say_ready()
    acceptors.run()
    sys.stdout.flush()
    sys.stderr.flush()
    return 0


def say_ready():
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is not None:
        out.write(READY_LINE)
        out.flush()
    else:
        os.write(1, READY_LINE)
    # From now on fd 1 is fd 2: whatever the app prints reaches the error log.
    sys.stdout.flush()
    os.dup2(2, 1)


# ---------------------------------------------------------------------------------------------------------------
# Loader (lazy_apps off)
# ---------------------------------------------------------------------------------------------------------------

def run_loader(args, apps, default_app):
    """lazy_apps off, uWSGI's default (uWSGI docs, "Things to know": the app is loaded in the master and the workers
    are fork()ed from it, sharing its memory copy-on-write). The app is already imported. --socket is a
    SOCK_SEQPACKET control socket: the supervisor connects once; each packet from it is a command:

        fork PATH   + SCM_RIGHTS [stdout, stderr]  -> "forked PID" | "error MESSAGE"
        kill PID SIG                               (a worker the supervisor may not signal itself)

    and the loader reports "exit PID WAITSTATUS" for every worker it reaps. A forked worker serves on PATH exactly as
    a worker started by the supervisor does (NGINXLITE-READY on the stdout it was given). SIGTERM/SIGINT or the
    supervisor's close: no more forks; the loader exits 0 once its workers have exited (it stays their parent)."""
    try:
        control = bind(args.socket, args.socket_mode, 1, socket.SOCK_SEQPACKET)
    except OSError as e:
        log("cannot listen on %s: %s" % (args.socket, e))
        return EXIT_STARTUP_FAILED
    return Loader(args, apps, default_app, control).run()


class Loader:
    def __init__(self, args, apps, default_app, control):
        self.args = args
        self.apps = apps
        self.default_app = default_app
        self.control = control
        self.conn = None
        self.eof = False  # the supervisor shut its side down: no more commands, reports still go to it
        self.children = set()
        self.stopping = False
        # SIGCHLD and SIGTERM wake select() through the wakeup fd (signal.set_wakeup_fd); the handlers just mark.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)

    def _stop(self, signum=None, frame=None):
        self.stopping = True

    def run(self):
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        say_ready()
        while True:
            self._reap()
            if self.stopping and not self.children:
                break
            waiting = [self.wake_r]
            if self.conn is None and not self.stopping:
                waiting.append(self.control)
            elif self.conn is not None and not self.eof:
                waiting.append(self.conn)
            try:
                ready, _, _ = select.select(waiting, [], [])
            except InterruptedError:
                continue
            if self.wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self.wake_r, 512)
            if self.conn is None and self.control in ready:
                self.conn, _ = self.control.accept()
                # One supervisor per loader: nobody else may connect, and the name goes.
                self.control.close()
                with contextlib.suppress(OSError):
                    os.unlink(self.args.socket)
            elif self.conn is not None and self.conn in ready:
                self._command()
        if self.conn is not None:
            self.conn.close()
        sys.stderr.flush()
        return 0

    def _reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            self._send("exit %d %d" % (pid, status))

    def _send(self, text):
        if self.conn is not None:
            try:
                self.conn.send(text.encode())
            except OSError:
                pass

    def _command(self):
        try:
            data, fds, _, _ = socket.recv_fds(self.conn, 4096, 4)
        except OSError:
            data, fds = b"", []
        words = data.decode("utf-8", "surrogateescape").split(" ", 1)
        if words[0] == "fork" and len(words) == 2 and len(fds) == 2 and not self.stopping:
            self._fork(words[1], fds)  # takes the fds
            return
        for fd in fds:
            os.close(fd)
        if not data:
            # The supervisor shut its side down (a chain reload retired this loader) or went away: no more forks;
            # leave once the workers are gone. The connection stays open for the "exit PID STATUS" reports of the
            # workers still draining, so the supervisor learns their exit status.
            self.eof = True
            self.stopping = True
        elif words[0] == "kill" and len(words) == 2:
            pid, sig = (int(w) for w in words[1].split())
            if pid in self.children:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
        else:
            self._send("error bad command %r" % data[:100])

    def _fork(self, path, fds):
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as e:
            for fd in fds:
                os.close(fd)
            self._send("error fork: %s" % e)
            return
        if pid == 0:
            self._child(path, fds)  # never returns
        for fd in fds:
            os.close(fd)
        self.children.add(pid)
        self._send("forked %d" % pid)

    def _child(self, path, fds):
        code = EXIT_STARTUP_FAILED
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.dup2(fds[0], 1)
            os.dup2(fds[1], 2)
            for fd in fds + [self.wake_r, self.wake_w]:
                os.close(fd)
            self.conn.close()
            code = serve(self.args, path, self.apps, self.default_app)
        except BaseException:
            traceback.print_exc(file=sys.stderr)
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
