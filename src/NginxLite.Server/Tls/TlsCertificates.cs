using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NginxLite.Routing;
using NginxLite.Routing.Servers;

namespace NginxLite.Server.Tls;

/// <summary>
/// The TLS settings of every server on an <c>ssl</c> listener of one route table, loaded once when the table is put
/// to use (start, reload), never per connection: a reload with a new certificate serves the new one, a certificate
/// that cannot be loaded fails the start or the reload (which keeps the old table), as nginx fails its config load.
/// </summary>
public sealed class TlsCertificates
{
    private static readonly ConditionalWeakTable<RouteTable, TlsCertificates> s_tables = new();

    private readonly Dictionary<VirtualServer, SslServerAuthenticationOptions> _servers = [];

    // A server's certificate with the protocols of its address's default server, made when the table is loaded (only
    // for servers whose ssl_protocols differ from that default's), so no handshake builds options.
    private readonly Dictionary<(SslServerAuthenticationOptions Chosen, SslServerAuthenticationOptions Default), SslServerAuthenticationOptions> _withDefaultProtocols = [];

    // The same settings offering h2 first in ALPN, for `listen … ssl http2` sockets (made at load, like the above, for
    // every settings object a handshake can pick; a server may be on an http2 socket and on one without).
    private readonly Dictionary<SslServerAuthenticationOptions, SslServerAuthenticationOptions> _withHttp2 = new(ReferenceEqualityComparer.Instance);

    private TlsCertificates()
    {
    }

    /// <summary>Loads (once) the certificates of <paramref name="table"/>; throws naming the file that failed.</summary>
    public static TlsCertificates For(RouteTable table)
    {
        if (s_tables.TryGetValue(table, out var loaded))
        {
            return loaded;
        }

        var result = new TlsCertificates();
        var byFiles = new Dictionary<ServerTls, SslServerAuthenticationOptions>();
        foreach (var listener in table.Listeners.Where(l => l.Ssl))
        {
            foreach (var lookup in listener.ByLocalAddress.Values.Prepend(listener.Servers))
            {
                foreach (var server in lookup.Servers)
                {
                    if (server.Tls.Certificate is null || result._servers.ContainsKey(server))
                    {
                        continue;
                    }

                    if (!byFiles.TryGetValue(server.Tls, out var options))
                    {
                        options = Load(server.Tls);
                        byFiles[server.Tls] = options;
                    }

                    result._servers[server] = options;
                }
            }
        }

        foreach (var listener in table.Listeners.Where(l => l.Ssl))
        {
            foreach (var lookup in listener.ByLocalAddress.Values.Prepend(listener.Servers))
            {
                if (!result._servers.TryGetValue(lookup.Default, out var fallback))
                {
                    continue;
                }

                foreach (var server in lookup.Servers)
                {
                    if (result._servers.TryGetValue(server, out var chosen) && chosen.EnabledSslProtocols != fallback.EnabledSslProtocols)
                    {
                        result._withDefaultProtocols.TryAdd((chosen, fallback), WithProtocols(chosen, fallback.EnabledSslProtocols));
                    }
                }
            }
        }

        if (table.Listeners.Any(l => l.Ssl && l.Http2))
        {
            foreach (var options in result._servers.Values.Concat(result._withDefaultProtocols.Values))
            {
                result._withHttp2.TryAdd(options, WithProtocols(options, options.EnabledSslProtocols, Http2Alpn));
            }
        }

        return s_tables.GetValue(table, _ => result);
    }

    /// <summary>ALPN on an http2 socket: nginx offers h2 then http/1.1 (ngx_http_ssl_alpn_select), so a client that
    /// offers both gets h2 and one that offers only http/1.1 (or no ALPN) gets HTTP/1.1.</summary>
    private static readonly List<SslApplicationProtocol> Http2Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>
    /// The handshake settings for a connection: the certificate of the server <paramref name="sni"/> selects among
    /// the address's servers (ngx_http_ssl_servername: the same virtual-server choice as Host), else the default
    /// server's; the protocols of the default server (the SNI callback runs after OpenSSL fixed the version range).
    /// </summary>
    /// <remarks><paramref name="http2"/>: the socket has <c>listen … http2</c>, ALPN offers h2 too.</remarks>
    public SslServerAuthenticationOptions? Select(ServerNameLookup lookup, string? sni, bool http2 = false)
    {
        var options = SelectHttp1(lookup, sni);
        return http2 && options is not null && _withHttp2.TryGetValue(options, out var h2) ? h2 : options;
    }

    private SslServerAuthenticationOptions? SelectHttp1(ServerNameLookup lookup, string? sni)
    {
        _servers.TryGetValue(lookup.Default, out var fallback);
        var name = sni?.TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(name) || !_servers.TryGetValue(lookup.Find(name, null), out var chosen))
        {
            return fallback;
        }

        return fallback is not null && _withDefaultProtocols.TryGetValue((chosen, fallback), out var variant) ? variant : chosen;
    }

    private static SslServerAuthenticationOptions WithProtocols(SslServerAuthenticationOptions options, System.Security.Authentication.SslProtocols protocols,
        List<SslApplicationProtocol>? alpn = null) => new()
    {
        ServerCertificateContext = options.ServerCertificateContext,
        EnabledSslProtocols = protocols,
        ApplicationProtocols = alpn ?? options.ApplicationProtocols,
        ClientCertificateRequired = false,
    };

    private static SslServerAuthenticationOptions Load(ServerTls tls)
    {
        if (tls.VerifyClient != "off")
        {
            // Fail closed: serving without the client-certificate check nginx would make is worse than not starting.
            throw new InvalidOperationException($"\"ssl_verify_client {tls.VerifyClient}\" is not supported by nginxlite yet");
        }

        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            // The file holds the leaf first, then its chain (nginx sends them all: ngx_ssl_certificate).
            leaf = X509Certificate2.CreateFromPemFile(tls.Certificate!, tls.CertificateKey ?? tls.Certificate);
            chain.ImportFromPemFile(tls.Certificate!);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"cannot load certificate \"{tls.Certificate}\" with key \"{tls.CertificateKey}\": {e.Message}", e);
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var c in chain.Skip(1))
        {
            intermediates.Add(c);
        }

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(leaf, intermediates, offline: true),
            EnabledSslProtocols = TlsProtocols.Map(tls.Protocols),
            // nginx 1.22 speaks HTTP/2 on a socket only with `listen … http2` (then Select hands out the h2 variant).
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            ClientCertificateRequired = false,
        };
    }
}
