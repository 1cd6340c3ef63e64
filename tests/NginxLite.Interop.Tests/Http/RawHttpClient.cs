using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Interop.Tests.Http;

/// <summary>
/// A tiny HTTP/1.1 client over one TCP connection per request: the request goes out byte for byte as given
/// (so malformed request lines, paths and Host headers reach the server untouched), one response comes back,
/// framed by Content-Length, chunked transfer coding, or the connection closing. 1xx interim responses are
/// skipped. Every read is bounded by <paramref name="timeout"/> overall; a timeout is reported, never hangs.
/// </summary>
public static class RawHttpClient
{
    private const int MaxHeaderBytes = 64 * 1024;

    public static RawResponse Send(int port, byte[] request, bool headRequest, TimeSpan timeout)
    {
        using var client = new TcpClient();
        var clock = Stopwatch.StartNew();
        try
        {
            if (!client.ConnectAsync(IPAddress.Loopback, port).Wait(timeout))
            {
                return RawResponse.Failed($"connect to 127.0.0.1:{port} timed out", []);
            }
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            return RawResponse.Failed($"connect to 127.0.0.1:{port} failed: {s.SocketErrorCode}", []);
        }

        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new Reader(stream, clock, timeout);
        try
        {
            stream.WriteTimeout = (int)timeout.TotalMilliseconds;
            stream.Write(request);
        }
        catch (IOException)
        {
            // The server may answer (e.g. 400/414) and close before reading everything; read what it said.
        }

        try
        {
            while (true)
            {
                var head = reader.ReadHead();
                if (head is null)
                {
                    var received = reader.Received();
                    return received.Length == 0
                        ? RawResponse.Failed("connection closed before a complete response head", received)
                        : RawResponse.Failed("malformed response: no status line before the connection closed", received);
                }

                var (status, statusLine, headers) = head.Value;
                if (status is >= 100 and < 200)
                {
                    continue;
                }

                var body = ReadBody(reader, status, headers, headRequest, out var error);
                return new RawResponse(status, statusLine, headers, body, error);
            }
        }
        catch (TimeoutException)
        {
            return RawResponse.Failed($"no complete response within {timeout.TotalSeconds:0} s", reader.Received());
        }
        catch (FormatException e)
        {
            return RawResponse.Failed("malformed response: " + e.Message, reader.Received());
        }
    }

    private static byte[] ReadBody(Reader reader, int status, List<KeyValuePair<string, string>> headers, bool headRequest, out string? error)
    {
        error = null;
        if (headRequest || status is 204 or 304)
        {
            return [];
        }

        string? Get(string name) => headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        if (Get("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new MemoryStream();
            while (true)
            {
                var sizeLine = reader.ReadLine() ?? throw new FormatException("connection closed inside a chunked body");
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while (!string.IsNullOrEmpty(reader.ReadLine()))
                    {
                        // trailers
                    }

                    return body.ToArray();
                }

                body.Write(reader.ReadExactly(size) ?? throw new FormatException("connection closed inside a chunk"));
                reader.ReadLine();
            }
        }

        if (Get("Content-Length") is { } cl)
        {
            var length = int.Parse(cl.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var body = reader.ReadExactly(length);
            if (body is null)
            {
                error = $"connection closed before Content-Length {length} was read";
                return reader.Received();
            }

            return body;
        }

        return reader.ReadToEnd();
    }

    /// <summary>Buffered reads from the socket with one overall deadline.</summary>
    private sealed class Reader(NetworkStream stream, Stopwatch clock, TimeSpan timeout)
    {
        private readonly MemoryStream _all = new();
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public byte[] Received() => _all.ToArray();

        private bool Fill()
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }
            else if (_end == _buffer.Length && _start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException();
            }

            var read = stream.ReadAsync(_buffer.AsMemory(_end)).AsTask();
            try
            {
                if (!read.Wait(left))
                {
                    throw new TimeoutException();
                }
            }
            catch (AggregateException)
            {
                return false; // reset by peer counts as closed
            }

            if (read.Result == 0)
            {
                return false;
            }

            _all.Write(_buffer, _end, read.Result);
            _end += read.Result;
            return true;
        }

        public string? ReadLine()
        {
            while (true)
            {
                var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl >= 0)
                {
                    var line = Encoding.Latin1.GetString(_buffer, _start, nl - _start).TrimEnd('\r');
                    _start = nl + 1;
                    return line;
                }

                if (_end - _start > MaxHeaderBytes)
                {
                    throw new FormatException("line longer than 64 KiB");
                }

                if (!Fill())
                {
                    return null;
                }
            }
        }

        public (int Status, string StatusLine, List<KeyValuePair<string, string>> Headers)? ReadHead()
        {
            var statusLine = ReadLine();
            if (statusLine is null)
            {
                return null;
            }

            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
            {
                throw new FormatException($"bad status line \"{statusLine}\"");
            }

            var headers = new List<KeyValuePair<string, string>>();
            while (true)
            {
                var line = ReadLine() ?? throw new FormatException("connection closed inside the response head");
                if (line.Length == 0)
                {
                    return (status, statusLine, headers);
                }

                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new FormatException($"bad header line \"{line}\"");
                }

                // Header values are bytes; keep them as Latin-1 so a UTF-8 Location round-trips losslessly.
                headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
            }
        }

        public byte[]? ReadExactly(int count)
        {
            while (_end - _start < count)
            {
                if (!Fill())
                {
                    return null;
                }
            }

            var bytes = _buffer.AsSpan(_start, count).ToArray();
            _start += count;
            return bytes;
        }

        public byte[] ReadToEnd()
        {
            while (Fill())
            {
            }

            var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
            _start = _end;
            return bytes;
        }
    }
}
