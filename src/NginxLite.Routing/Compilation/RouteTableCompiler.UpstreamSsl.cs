using NginxLite.Config.Binding;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>
    /// One <c>proxy_ssl_*</c> or <c>uwsgi_ssl_*</c> directive (<paramref name="suffix"/> is the part after
    /// "<c>_ssl_</c>") applied to the level's TLS settings; null when it is no TLS directive. Both modules read the
    /// same values (ngx_http_proxy_module and ngx_http_uwsgi_module declare the same ngx_conf_set_* slots), so one
    /// routine serves both. _ciphers, _crl, _password_file and _conf_command are accepted with no effect: the
    /// directive tables mark them Ignored with the reason (docs/upstreams.md).
    /// </summary>
    private UpstreamSslSettings? ApplyUpstreamSsl(UpstreamSslSettings ssl, string suffix, BoundDirective d) => suffix switch
    {
        "server_name" => ssl with { ServerName = d.Arg(0) == "on" },
        "name" => ssl with { Name = ComplexValue.Parse(d.Arg(0), _variables) },
        "verify" => ssl with { Verify = d.Arg(0) == "on" },
        "verify_depth" => ssl with { VerifyDepth = int.TryParse(d.Arg(0), out var depth) ? depth : 1 },
        "trusted_certificate" => ssl with { TrustedCertificate = ConfFile(d.Arg(0)) },
        "certificate" => ssl with { Certificate = ConfFile(d.Arg(0)) },
        "certificate_key" => ssl with { CertificateKey = ConfFile(d.Arg(0)) },
        "protocols" => ssl with { Protocols = [.. d.Arguments.Select(a => a.Value)] },
        "session_reuse" => ssl with { SessionReuse = d.Arg(0) == "on" },
        "ciphers" or "crl" or "password_file" or "conf_command" => ssl,
        _ => null,
    };

    /// <summary>A certificate path relative to the conf prefix (ngx_conf_full_name with conf_prefix, as
    /// ngx_ssl_certificate and ngx_ssl_trusted_certificate resolve them).</summary>
    private string ConfFile(string path) => path.StartsWith('/') ? path : _confPrefix + path;
}
