using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>no "ssl_certificate" is defined for the "listen ... ssl" directive</c>: ngx_http_ssl_init (postconfiguration, after
/// the location trees), for each <c>listen … ssl</c> address whose default server has no certificate; the position is
/// that server's <c>server</c> line.
/// </summary>
public sealed class SslListenCertificateCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var ssl = SslServer.In(http).ToDictionary(s => s.Server);
            var entries = ListenTable.Entries(http).ToList();
            var reported = new HashSet<BoundDirective>();
            foreach (var address in entries.Where(e => e.Listen?.Ssl == true).Select(e => e.Address).Distinct())
            {
                var atAddress = entries.Where(e => e.Address == address).ToList();
                var defaultServer = atAddress.FirstOrDefault(e => e.Listen?.DefaultServer == true).Server ?? atAddress[0].Server;
                if (ssl[defaultServer].Certificates.Count == 0 && reported.Add(defaultServer))
                {
                    scope.Emerg("no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive", defaultServer.Position, http.EndOrdinal);
                }
            }
        }
    }
}
