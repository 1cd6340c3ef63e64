"""A failover test backend: answers every request with 200 "NAME\n" and records how many it has answered over time.

Usage: count_backend.py NAME HOST PORT COUNT_FILE
Every 100 ms it appends "UNIX_MS COUNT" to COUNT_FILE (the running total), so the test can tell, after the run, how
many requests this backend saw in any window, even while the backend was cut off from the test's network. Standard
library only; HTTP/1.1 with keep-alive (the proxies here speak HTTP/1.0 to it and close, which it honours).
"""
import http.server
import socketserver
import sys
import threading
import time

name, host, port, count_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global count
        with lock:
            count += 1
        body = (name + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


def record():
    with open(count_file, "a", buffering=1) as out:
        while True:
            with lock:
                n = count
            out.write("%d %d\n" % (int(time.time() * 1000), n))
            time.sleep(0.1)


server = Server((host, port), Handler)
threading.Thread(target=record, daemon=True).start()
print("listening", flush=True)
server.serve_forever()
