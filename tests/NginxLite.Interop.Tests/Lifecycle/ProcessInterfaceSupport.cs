using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Interop.Tests.Servers;
using NginxLite.Interop.Tests.Support;

namespace NginxLite.Interop.Tests.Lifecycle;

/// <summary>Helpers for the process-interface tests: <c>nginxlite -s …</c>, raw starts, plain GETs, bounded polling.</summary>
internal static class ProcessInterfaceSupport
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static string ConfigFile(ServerProcess server) => Path.Combine(server.Prefix, "conf", "server.conf");

    /// <summary>A prefix in <paramref name="dir"/> with conf/ and logs/, and conf/server.conf holding
    /// <paramref name="config"/> for a free port: for tests that start the binary themselves.</summary>
    public static (string Prefix, int Port, string Conf) NewPrefix(string dir, Func<int, string> config)
    {
        var prefix = dir + "/";
        Directory.CreateDirectory(prefix + "conf");
        Directory.CreateDirectory(prefix + "logs");
        var port = FreePort.Next();
        var conf = prefix + "conf/server.conf";
        File.WriteAllText(conf, config(port));
        return (prefix, port, conf);
    }

    /// <summary><c>nginxlite -p PREFIX/ -c FILE -s SIGNAL</c>, waited for (bounded); returns exit code and stderr.</summary>
    public static (int ExitCode, string Stderr) SendSignal(ServerProcess server, string signal)
    {
        var exe = NginxLiteExecutable.Find();
        var psi = new ProcessStartInfo(exe.Path, ["-p", server.Prefix.TrimEnd('/') + "/", "-c", ConfigFile(server), "-s", signal])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Bound))
        {
            p.Kill();
            throw new TimeoutException($"nginxlite -s {signal} did not exit within {Bound.TotalSeconds:0} s");
        }

        return (p.ExitCode, stderr.Result);
    }

    /// <summary>A fresh connection, <c>GET path</c>, <c>Connection: close</c>; status and body ("" when refused).</summary>
    public static (int Status, string Body) Get(int port, string path = "/")
    {
        var r = Http.RawHttpClient.Send(port, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(5));
        return (r.Status, Encoding.UTF8.GetString(r.Body));
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until true or <see cref="Bound"/> passes.</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    /// <summary>Whether the port is listening right now: a blocking loopback connect is refused or accepted at once.</summary>
    public static bool ListeningNow(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(500)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static string ReadText(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public static int? ReadPid(string path)
    {
        var text = ReadText(path).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}

/// <summary>
/// A client that stalls on a large response: it reads the head and a little body, then reads nothing until the test
/// says so, so the server is blocked writing and the request stays in flight while the test signals the server.
/// </summary>
internal sealed class SlowClient : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    public SlowClient(int port, string path)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.ReceiveTimeout = (int)ProcessInterfaceSupport.Bound.TotalMilliseconds;
        _socket.Connect(IPAddress.Loopback, port);
        _socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    public string Head { get; private set; } = "";

    public long ContentLength { get; private set; } = -1;

    public int BodyReceived => _received.Count - HeadLength;

    private int HeadLength { get; set; }

    /// <summary>Reads until the head and at least <paramref name="bodyBytes"/> of the body are in.</summary>
    public void ReadHeadAnd(int bodyBytes)
    {
        var buffer = new byte[64 * 1024];
        while (HeadLength == 0 || BodyReceived < bodyBytes)
        {
            var n = _socket.Receive(buffer);
            if (n == 0)
            {
                throw new IOException($"connection closed after {_received.Count} bytes");
            }

            _received.AddRange(buffer.AsSpan(0, n));
            if (HeadLength == 0)
            {
                var text = Encoding.Latin1.GetString([.. _received]);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    HeadLength = end + 4;
                    Head = text[..end];
                    var cl = Head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    ContentLength = cl is null ? -1 : long.Parse(cl["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
    }

    /// <summary>Reads the rest of the body (Content-Length framed), then whether the server closed the connection.</summary>
    public (byte[] Body, bool ClosedAfter) ReadRest()
    {
        ReadHeadAnd((int)ContentLength);
        var body = _received.Skip(HeadLength).ToArray();
        var closed = false;
        try
        {
            closed = _socket.Receive(new byte[16]) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
        {
            closed = true;
        }

        return (body, closed);
    }

    public void Dispose() => _socket.Dispose();
}
