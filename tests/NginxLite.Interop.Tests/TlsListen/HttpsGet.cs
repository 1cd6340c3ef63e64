using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace NginxLite.Interop.Tests.TlsListen;

/// <summary>One HTTPS GET to 127.0.0.1:port with <c>host</c> in the URL (so in SNI and Host unless an IP), accepting any
/// certificate and recording the one the server presented.</summary>
public static class HttpsGet
{
    public sealed record Result(int Status, string Body, string? Location, string? Thumbprint, string? Error);

    public static Result Send(int port, string host, string path, SslProtocols protocols = SslProtocols.None)
    {
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.EnabledSslProtocols = protocols;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            thumbprint = cert?.GetCertHashString();
            return true;
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = client.GetAsync($"https://{host}:{port}{path}").GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return new Result((int)response.StatusCode, body, response.Headers.Location?.OriginalString, thumbprint, null);
        }
        catch (HttpRequestException e)
        {
            return new Result(0, "", null, thumbprint, e.Message);
        }
    }
}
