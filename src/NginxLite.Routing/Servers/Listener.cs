using System.Net;

namespace NginxLite.Routing.Servers;

/// <summary>
/// One socket to open, with the server lookup for each local address it serves. A wildcard socket (<c>*:80</c>) also
/// carries the servers of specific addresses on its port (<c>127.0.0.1:80</c>), chosen by the connection's local
/// address as nginx does when it binds only the wildcard.
/// </summary>
public sealed class Listener
{
    internal Listener(ListenAddress address, ServerNameLookup servers, IReadOnlyDictionary<IPAddress, ServerNameLookup> byLocalAddress)
    {
        Address = address;
        Servers = servers;
        ByLocalAddress = byLocalAddress;
    }

    public ListenAddress Address { get; }

    /// <summary>A <c>listen … ssl</c> names this socket (or an address folded into it): TLS is terminated on it.
    /// nginx ORs the flag over the listen directives of one address (ngx_http_add_addresses).</summary>
    public bool Ssl { get; internal init; }

    /// <summary>A <c>listen … http2</c> names this socket (ORed over the address's listen directives like
    /// <see cref="Ssl"/>): with TLS, ALPN offers h2 and http/1.1; without, the socket speaks cleartext HTTP/2 with prior
    /// knowledge only, as nginx 1.22 does (ngx_http_v2_module).</summary>
    public bool Http2 { get; internal init; }

    /// <summary>The lookup for the socket's own address.</summary>
    public ServerNameLookup Servers { get; }

    public IReadOnlyDictionary<IPAddress, ServerNameLookup> ByLocalAddress { get; }

    public ServerNameLookup For(IPAddress? local)
    {
        if (ByLocalAddress.Count == 0 || local is null)
        {
            return Servers;
        }

        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }

        return ByLocalAddress.TryGetValue(local, out var lookup) ? lookup : Servers;
    }

    public override string ToString() => Address.ToString();
}
