using System.Text;
using NginxLite.Interop.Tests.Http;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>HTTP/1.1 requests to a front end on 127.0.0.1 for the app tests, one connection each.</summary>
public static class AppHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static RawResponse Get(int port, string target) => Send(port, "GET", target);

    public static RawResponse Head(int port, string target) => Send(port, "HEAD", target);

    public static RawResponse Send(int port, string method, string target, byte[]? body = null, string? contentType = null, string extraHeaders = "")
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (body is not null)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append(extraHeaders).Append("\r\n");
        var request = Encoding.Latin1.GetBytes(head.ToString());
        if (body is not null)
        {
            request = [.. request, .. body];
        }

        return RawHttpClient.Send(port, request, method == "HEAD", Timeout);
    }

    public static string Text(RawResponse r) => Encoding.UTF8.GetString(r.Body);
}
