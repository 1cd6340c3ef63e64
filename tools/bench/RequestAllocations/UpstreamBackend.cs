using System.Diagnostics;

namespace NginxLite.Bench.RequestAllocations;

/// <summary>
/// A hello backend in another process (so its allocations are not counted): Python on a Unix socket, answering a uwsgi
/// packet (one request per connection, as uWSGI) or HTTP/1.1 keep-alive requests. Stopped by its PID on dispose.
/// </summary>
internal sealed class UpstreamBackend : IDisposable
{
    private const string Script = """
        import socket, sys, threading
        mode, path = sys.argv[1], sys.argv[2]
        srv = socket.socket(socket.AF_UNIX)
        srv.bind(path)
        srv.listen(512)
        RESP = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
        def recvn(c, n):
            b = b""
            while len(b) < n:
                d = c.recv(n - len(b))
                if not d:
                    raise EOFError
                b += d
            return b
        def uwsgi(c):
            with c:
                h = recvn(c, 4)
                recvn(c, h[1] | (h[2] << 8))
                c.sendall(RESP)
        def http(c):
            with c:
                buf = b""
                while True:
                    while b"\r\n\r\n" not in buf:
                        d = c.recv(65536)
                        if not d:
                            return
                        buf += d
                    buf = buf[buf.index(b"\r\n\r\n") + 4:]
                    c.sendall(RESP)
        while True:
            c, _ = srv.accept()
            threading.Thread(target=uwsgi if mode == "uwsgi" else http, args=(c,), daemon=True).start()
        """;

    private readonly Process _process;

    private UpstreamBackend(Process process) => _process = process;

    public static UpstreamBackend Start(string mode, string socketPath, string dir)
    {
        var script = Path.Combine(dir, "backend.py");
        File.WriteAllText(script, Script);
        var process = Process.Start(new ProcessStartInfo("python3", [script, mode, socketPath]))!;
        for (var i = 0; i < 100 && !File.Exists(socketPath); i++)
        {
            Thread.Sleep(50);
        }

        return new UpstreamBackend(process);
    }

    public void Dispose()
    {
        _process.Kill(); // this process's own child, by its PID
        _process.WaitForExit();
        _process.Dispose();
    }
}
