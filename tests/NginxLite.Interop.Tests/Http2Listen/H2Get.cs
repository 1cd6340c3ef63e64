using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Http2Listen;

/// <summary>
/// One request to 127.0.0.1:port with .NET's HTTP/2 client (nghttp2 is not needed): over TLS with <c>host</c> in SNI
/// and :authority, ALPN offering h2 and http/1.1 (<paramref name="version"/> 2.0, or 1.1 to offer only http/1.1), or in
/// cleartext with prior knowledge (<c>tls: false</c>, version 2.0 exactly). Any certificate is accepted.
/// </summary>
public static class H2Get
{
    public sealed record Result(int Status, Version Version, string Body, IReadOnlyDictionary<string, string> Headers, string? Error)
    {
        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
    }

    /// <summary>The same h2c request to nginx and to nginxlite; both must answer 200 over HTTP/2.</summary>
    public static (Result Nginx, Result NginxLite) BothH2c(ServerProcess nginx, ServerProcess nginxLite, string path, HttpMethod method,
        byte[]? body, bool unknownLength, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var a = Send(nginx.Port, "127.0.0.1", path, tls: false, method: method, body: body, unknownLength: unknownLength, headers: headers);
        var b = Send(nginxLite.Port, "127.0.0.1", path, tls: false, method: method, body: body, unknownLength: unknownLength, headers: headers);
        Xunit.Assert.True(a.Error is null, $"nginx: {a.Error}\n{nginx.Describe()}");
        Xunit.Assert.True(b.Error is null, $"nginxlite: {b.Error}\n{nginxLite.Describe()}");
        Xunit.Assert.Equal((200, HttpVersion.Version20), (a.Status, a.Version));
        Xunit.Assert.Equal((a.Status, a.Version), (b.Status, b.Version));
        return (a, b);
    }

    public static Result Send(int port, string host, string path, bool tls = true, Version? version = null,
        SslProtocols protocols = SslProtocols.None, IEnumerable<(string Name, string Value)>? headers = null,
        HttpMethod? method = null, byte[]? body = null, bool unknownLength = false)
    {
        version ??= HttpVersion.Version20;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.EnabledSslProtocols = protocols;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"{(tls ? "https" : "http")}://{host}:{port}{path}")
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            // a stream of unknown length goes without content-length (HTTP/2 DATA frames up to END_STREAM)
            request.Content = unknownLength ? new StreamContent(new UnseekableStream(body)) : new ByteArrayContent(body);
        }

        try
        {
            using var response = client.SendAsync(request).GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var all = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                all[name.ToLowerInvariant()] = string.Join(", ", values);
            }

            return new Result((int)response.StatusCode, response.Version, text, all, null);
        }
        catch (HttpRequestException e)
        {
            return new Result(0, new Version(0, 0), "", new Dictionary<string, string>(), e.ToString());
        }
    }

    /// <summary>A read-only stream that does not tell its length, so HttpClient cannot send a content-length.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
