using System.Globalization;
using System.Net;

namespace NginxLite.Routing.Servers;

/// <summary>A socket address from <c>listen</c>, in nginx's text form (<c>127.0.0.1:80</c>, <c>[::]:80</c>, <c>unix:/s</c>).</summary>
public sealed record ListenAddress(IPEndPoint? IP, string? UnixPath)
{
    public bool IsUnix => UnixPath is not null;

    /// <summary>0.0.0.0 or [::]: the socket takes every local address of its family.</summary>
    public bool IsWildcard => IP is not null && (IP.Address.Equals(IPAddress.Any) || IP.Address.Equals(IPAddress.IPv6Any));

    public static ListenAddress Parse(string text)
    {
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(null, text[5..]);
        }

        var colon = text.LastIndexOf(':');
        var host = text[..colon].Trim('[', ']');
        var port = int.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture);
        return new ListenAddress(new IPEndPoint(IPAddress.Parse(host), port), null);
    }

    public override string ToString() => IsUnix ? "unix:" + UnixPath : IP!.ToString();
}
