using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Hosting;

namespace NginxLite.Server.Tests;

/// <summary>A real server on a free 127.0.0.1 port with a temp prefix (html/ files), stopped on dispose.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(string prefix, int port, NginxLiteServer server)
    {
        Prefix = prefix;
        Port = port;
        Server = server;
    }

    public string Prefix { get; }

    public int Port { get; }

    public NginxLiteServer Server { get; }

    /// <summary>Starts a server; <c>PORT</c> in <paramref name="http"/> is replaced by a free port.</summary>
    public static async Task<TestServer> StartAsync(string http, Dictionary<string, string>? files = null)
    {
        var prefix = Path.Combine(Path.GetTempPath(), "nginxlite-server-tests-" + Guid.NewGuid().ToString("N")) + "/";
        Directory.CreateDirectory(prefix + "html");
        Directory.CreateDirectory(prefix + "logs");
        foreach (var (name, content) in files ?? [])
        {
            var path = prefix + name;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var port = FreePort();
        var text = "events {}\nhttp {\n" + http.Replace("PORT", port.ToString(), StringComparison.Ordinal) + "\n}\n";
        var load = RouteTableLoader.LoadText(text, prefix);
        Assert.True(load.Table is not null, string.Join("\n", load.Test.Diagnostics));
        var server = new NginxLiteServer(load.Table!);
        await server.StartAsync();
        return new TestServer(prefix, port, server);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Sends <paramref name="request"/> as written (CRLF line ends added) and reads the whole response.</summary>
    public Task<RawResponse> SendAsync(string target, string method = "GET", string host = "localhost", params string[] headers)
    {
        var sb = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        if (host.Length > 0)
        {
            sb.Append($"Host: {host}\r\n");
        }

        foreach (var h in headers)
        {
            sb.Append(h).Append("\r\n");
        }

        sb.Append("Connection: close\r\n\r\n");
        return RawResponse.SendAsync(new IPEndPoint(IPAddress.Loopback, Port), sb.ToString(), method == "HEAD");
    }

    public string ReadLog(string name) => File.Exists(Prefix + "logs/" + name) ? File.ReadAllText(Prefix + "logs/" + name) : "";

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Prefix, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record RawResponse(int Status, string Reason, Dictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public static async Task<RawResponse> SendAsync(EndPoint endpoint, string request, bool head = false)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cts.Token);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var n = await socket.ReceiveAsync(chunk, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, n);
        }

        var text = Encoding.Latin1.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head0 = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var lines = head0.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = line[..colon].ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[key] = headers.TryGetValue(key, out var old) ? old + ", " + value : value;
        }

        return new RawResponse(int.Parse(status[1]), status.Length > 2 ? status[2] : "", headers, body);
    }
}
