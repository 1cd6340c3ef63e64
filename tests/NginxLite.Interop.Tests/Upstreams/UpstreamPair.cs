using Xunit;
using System.Text;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// Debian's nginx and nginxlite serving the same config in front of the same application server, for differential
/// checks: <see cref="Both"/> sends one request to each and compares what matters.
/// </summary>
public sealed class UpstreamPair : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public UpstreamPair(TempDir dir, Func<int, string> config, bool withNginx = true)
    {
        Dir = dir;
        try
        {
            if (withNginx)
            {
                Nginx = ServerProcess.Start(ServerFlavor.Nginx, dir.Dir("nginx"), config);
                _owned.Add(Nginx);
            }

            NginxLite = ServerProcess.Start(ServerFlavor.NginxLite, dir.Dir("nginxlite"), config);
            _owned.Add(NginxLite);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public ServerProcess? Nginx { get; }

    public ServerProcess NginxLite { get; }

    /// <summary>Headers compared between the two servers (Date, Server and framing are each server's own).</summary>
    public static readonly string[] ComparedHeaders = ["Content-Type", "Location", "Set-Cookie", "X-Code", "X-Powered-By", "Content-Length", "X-Accel-Buffering"];

    /// <summary>Sends <paramref name="send"/> to both servers; asserts the same status, compared headers and body
    /// (after <see cref="Normalize"/>), and returns nginxlite's response.</summary>
    public RawResponse Both(string name, Func<int, RawResponse> send)
    {
        var lite = send(NginxLite.Port);
        Assert.True(lite.Error is null, $"{name}: nginxlite: {lite.Error}\n{lite.Dump()}\n{NginxLite.Describe()}");
        if (Nginx is null)
        {
            return lite;
        }

        var reference = send(Nginx.Port);
        Assert.True(reference.Error is null, $"{name}: nginx: {reference.Error}");
        var why = $"{name}:\n--- nginx\n{reference.Dump(2000)}\n--- nginxlite\n{lite.Dump(2000)}";
        Assert.True(reference.Status == lite.Status, "status differs: " + why);
        foreach (var header in ComparedHeaders)
        {
            Assert.True(
                string.Join(" | ", reference.HeaderValues(header)) == string.Join(" | ", lite.HeaderValues(header)),
                $"{header} differs: {why}");
        }

        Assert.True(Normalize(reference.Body, Nginx.Port) == Normalize(lite.Body, NginxLite.Port), "body differs: " + why);
        return lite;
    }

    /// <summary>One <c>Connection: close</c> request for <paramref name="target"/> to both servers (nginx must run):
    /// asserts the same status, the same values of each of <paramref name="headers"/> and the same body (after
    /// <see cref="Normalize"/>), and returns nginxlite's response. <paramref name="withLogs"/> adds both error logs to
    /// the failure message.</summary>
    public RawResponse Both(string target, string[] headers, string method = "GET", bool withLogs = false)
    {
        var request = Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        var head = method == "HEAD";
        var nginx = RawHttpClient.Send(Nginx!.Port, request, head, RawTimeout);
        var lite = RawHttpClient.Send(NginxLite.Port, request, head, RawTimeout);
        var why = $"{method} {target}:\n--- nginx\n{nginx.Dump(2000)}\n--- nginxlite\n{lite.Dump(2000)}";
        if (withLogs)
        {
            why += "\n--- nginx log\n" + string.Join("\n", LogLines(Nginx)) + "\n--- nginxlite log\n" + string.Join("\n", LogLines(NginxLite));
        }

        Assert.True(nginx.Status == lite.Status, "status differs: " + why);
        foreach (var name in headers)
        {
            Assert.True(string.Join("|", nginx.HeaderValues(name)) == string.Join("|", lite.HeaderValues(name)), $"{name} differs: {why}");
        }

        Assert.True(Normalize(nginx.Body, Nginx.Port) == Normalize(lite.Body, NginxLite.Port), "body differs: " + why);
        return lite;
    }

    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The body with what differs by nature removed: the server's own port, the client's port, the product
    /// name in SERVER_SOFTWARE and in built-in error pages.</summary>
    public static string Normalize(byte[] body, int port)
    {
        var text = Encoding.Latin1.GetString(body).Replace(":" + port, ":PORT", StringComparison.Ordinal);
        text = Regex.Replace(text, @"^SERVER_PORT=\d+$", "SERVER_PORT=PORT", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^REMOTE_PORT=\d+\n", "", RegexOptions.Multiline);
        text = Regex.Replace(text, @"^SERVER_SOFTWARE=.*$", "SERVER_SOFTWARE=…", RegexOptions.Multiline);
        return text.Replace("<center>nginxlite</center>", "<center>nginx</center>", StringComparison.Ordinal);
    }

    /// <summary>The error-log lines of a server, "[level] message" with time, pid and the request's context cut.</summary>
    public static List<string> LogLines(ServerProcess server)
    {
        if (!File.Exists(server.ErrorLog))
        {
            return [];
        }

        var lines = new List<string>();
        foreach (var line in File.ReadAllLines(server.ErrorLog))
        {
            var m = Regex.Match(line, @"^\S+ \S+ (\[\w+\]) \d+#\d+: (?:\*\d+ )?(.*?)(?:, client: .*)?$");
            if (m.Success)
            {
                lines.Add(m.Groups[1].Value + " " + m.Groups[2].Value);
            }
        }

        return lines;
    }

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }

        _owned.Clear();
    }
}
