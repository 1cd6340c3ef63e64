namespace NginxLite.Routing.Servers;

/// <summary>
/// The ngx_http_ssl_module settings of one server (server level over http, as nginx merges them): the files are
/// resolved against the conf prefix (the main config file's directory) like ngx_ssl_certificate does. Only the paths
/// are kept here; the server loads them once per route table (start and reload), never per connection.
/// </summary>
/// <param name="Certificate">The first <c>ssl_certificate</c> (leaf first, then the chain, PEM); null = none.</param>
/// <param name="CertificateKey">The matching <c>ssl_certificate_key</c> (PEM, unencrypted).</param>
/// <param name="Protocols"><c>ssl_protocols</c> as written; default TLSv1.2 TLSv1.3 (nginx 1.22's default).</param>
/// <param name="VerifyClient"><c>ssl_verify_client</c> (default off): client certificates are not implemented, so a
/// server that asks for them is refused at start/reload rather than served without the check.</param>
/// <param name="On">The deprecated <c>ssl on</c> (server over http): when the address's default server has it, the
/// socket is TLS as if its listen said <c>ssl</c> (ngx_http_init_connection: <c>sscf-&gt;enable || addr_conf-&gt;ssl</c>).</param>
public sealed record ServerTls(string? Certificate, string? CertificateKey, IReadOnlyList<string> Protocols, string VerifyClient = "off", bool On = false)
{
    public static readonly IReadOnlyList<string> DefaultProtocols = ["TLSv1.2", "TLSv1.3"];
}
