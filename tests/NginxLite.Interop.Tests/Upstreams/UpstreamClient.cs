using Xunit;
using System.Text;
using NginxLite.Interop.Tests.Http;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>Requests for the upstream tests: GET, or POST with a body sent with Content-Length or chunked.</summary>
public static class UpstreamClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static RawResponse Get(int port, string target, string extraHeaders = "") =>
        RawHttpClient.Send(port, Encoding.Latin1.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\n{extraHeaders}Connection: close\r\n\r\n"), false, Timeout);

    public static RawResponse Post(int port, string target, byte[] body, bool chunked, string extraHeaders = "")
    {
        var head = $"POST {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n{extraHeaders}Connection: close\r\n"
                   + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : $"Content-Length: {body.Length}\r\n\r\n");
        using var request = new MemoryStream();
        request.Write(Encoding.Latin1.GetBytes(head));
        if (!chunked)
        {
            request.Write(body);
        }
        else
        {
            for (var at = 0; at < body.Length; at += 100_000)
            {
                var n = Math.Min(100_000, body.Length - at);
                request.Write(Encoding.Latin1.GetBytes($"{n:x}\r\n"));
                request.Write(body, at, n);
                request.Write("\r\n"u8);
            }

            request.Write("0\r\n\r\n"u8);
        }

        return RawHttpClient.Send(port, request.ToArray(), false, Timeout);
    }

    /// <summary>A deterministic body of <paramref name="size"/> bytes.</summary>
    public static byte[] Body(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        return body;
    }

    /// <summary>The KEY=VALUE lines an echo app printed.</summary>
    public static Dictionary<string, string> Params(RawResponse r)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.Latin1.GetString(r.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                result[line[..eq]] = line[(eq + 1)..];
            }
        }

        return result;
    }

    public static string Md5(byte[] body) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body));
}
