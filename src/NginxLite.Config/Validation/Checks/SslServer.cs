using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>A server's effective SSL settings: server level, else inherited from http.</summary>
internal sealed record SslServer(BoundDirective Server, BoundDirective? Enable, IReadOnlyList<BoundDirective> Certificates)
{
    public static IEnumerable<SslServer> In(BoundDirective http)
    {
        var httpSsl = http.ChildrenNamed("ssl").LastOrDefault();
        var httpCerts = http.ChildrenNamed("ssl_certificate").ToList();
        foreach (var server in ConfigTree.Servers(http))
        {
            var ssl = server.ChildrenNamed("ssl").LastOrDefault() ?? httpSsl;
            var certs = server.ChildrenNamed("ssl_certificate").ToList();
            yield return new(server, ssl is { Arguments: [{ Value: "on" }] } ? ssl : null, certs.Count > 0 ? certs : httpCerts);
        }
    }
}
