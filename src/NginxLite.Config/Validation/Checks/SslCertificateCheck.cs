using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_ssl_merge_srv_conf, when http { } is closed, server by server: with <c>ssl on</c> and no certificate,
/// <c>no "ssl_certificate" is defined for the "ssl" directive</c> (at the <c>ssl</c> line); a certificate file that
/// cannot be opened gives OpenSSL's message with no position (only when the environment is checked).
/// </summary>
public sealed class SslCertificateCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var server in SslServer.In(http))
            {
                if (server.Enable is { } enable && server.Certificates.Count == 0)
                {
                    scope.Emerg("no \"ssl_certificate\" is defined for the \"ssl\" directive", enable.Position, http.EndOrdinal);
                    continue;
                }

                if (!scope.Options.CheckEnvironment)
                {
                    continue;
                }

                var missing = server.Certificates
                    .Where(c => c.Arguments.Count == 1)
                    .Select(c => CertificateFile.Missing(c.Arg(0), scope))
                    .FirstOrDefault(path => path is not null);
                if (missing is not null)
                {
                    scope.Emerg(CertificateFile.CannotLoad(missing), null, http.EndOrdinal);
                }
            }
        }
    }
}
