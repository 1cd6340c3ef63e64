using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// The meta-variables of RFC 3875 §4.1 for one request, then <c>HTTP_*</c> for each header (§4.1.18) — never
/// <c>HTTP_PROXY</c> (httpoxy, CVE-2016-5385: a client's <c>Proxy:</c> header must not become a proxy setting) —
/// then <c>cgi_param</c>, which adds to or replaces them. Nothing of the server's own environment leaks in but a
/// fixed PATH (suEXEC's safe path).
/// </summary>
public static class CgiEnvironment
{
    public const string SafePath = "/usr/local/bin:/usr/bin:/bin";

    private static readonly VariableRef ServerName = new(VariableKind.ServerName, "server_name", 0);
    private static readonly VariableRef ServerPort = new(VariableKind.ServerPort, "server_port", 0);
    private static readonly VariableRef ServerAddr = new(VariableKind.ServerAddr, "server_addr", 0);
    private static readonly VariableRef ServerProtocol = new(VariableKind.ServerProtocol, "server_protocol", 0);
    private static readonly VariableRef RemoteAddr = new(VariableKind.RemoteAddr, "remote_addr", 0);
    private static readonly VariableRef RemotePort = new(VariableKind.RemotePort, "remote_port", 0);
    private static readonly VariableRef RequestUri = new(VariableKind.RequestUri, "request_uri", 0);
    private static readonly VariableRef Https = new(VariableKind.Https, "https", 0);

    /// <summary>KEY=VALUE strings for execve. <paramref name="contentLength"/> is the body length the script will read
    /// (null: no body).</summary>
    public static List<string> Build(IUpstreamRequest request, CgiScript script, string documentRoot, long? contentLength, string serverSoftware)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["SERVER_SOFTWARE"] = serverSoftware,
            ["SERVER_NAME"] = request.GetVariable(ServerName) ?? "",
            ["SERVER_PORT"] = request.GetVariable(ServerPort) ?? "",
            ["SERVER_ADDR"] = request.GetVariable(ServerAddr) ?? "",
            ["SERVER_PROTOCOL"] = request.GetVariable(ServerProtocol) ?? "HTTP/1.1",
            ["REQUEST_METHOD"] = request.Method,
            ["REQUEST_URI"] = request.GetVariable(RequestUri) ?? request.Uri,
            ["SCRIPT_NAME"] = script.ScriptName,
            ["SCRIPT_FILENAME"] = script.FileName,
            ["DOCUMENT_ROOT"] = documentRoot,
            ["QUERY_STRING"] = request.Args,
            ["REMOTE_ADDR"] = request.GetVariable(RemoteAddr) ?? "",
            ["REMOTE_PORT"] = request.GetVariable(RemotePort) ?? "",
            ["REDIRECT_STATUS"] = "200", // php-cgi's force-cgi-redirect check, as nginx's fastcgi_params sends it
            ["PATH"] = SafePath,
        };

        if (script.PathInfo.Length > 0)
        {
            env["PATH_INFO"] = script.PathInfo;
            env["PATH_TRANSLATED"] = documentRoot.TrimEnd('/') + script.PathInfo;
        }

        if (request.GetVariable(Https) is { Length: > 0 } https)
        {
            env["HTTPS"] = https;
        }

        var headers = request.Features.Get<IHttpRequestFeature>()!.Headers;
        if (headers.ContentType.ToString() is { Length: > 0 } type)
        {
            env["CONTENT_TYPE"] = type;
        }

        if (contentLength is { } length)
        {
            env["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (name, values) in headers)
        {
            var key = HeaderVariable(name);
            if (key is null)
            {
                continue;
            }

            var value = values.ToString();
            env[key] = env.TryGetValue(key, out var earlier) ? earlier + ", " + value : value;
        }

        foreach (var param in request.Settings.Cgi.Params)
        {
            env[param.Name] = param.Value.Evaluate(request);
        }

        var list = new List<string>(env.Count);
        foreach (var (k, v) in env)
        {
            list.Add(k + "=" + v);
        }

        return list;
    }

    /// <summary><c>HTTP_</c> + the name upper-cased with '-' as '_'; null for what must not pass: Proxy (httpoxy),
    /// Content-Type/Content-Length (already CONTENT_*), and names that are not plain tokens.</summary>
    public static string? HeaderVariable(string name)
    {
        if (name.Equals("Proxy", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return string.Create(name.Length + 5, name, static (span, n) =>
        {
            "HTTP_".CopyTo(span);
            for (var i = 0; i < n.Length; i++)
            {
                var c = n[i];
                span[i + 5] = c == '-' ? '_' : char.ToUpperInvariant(c);
            }
        }) is var key && key.AsSpan(5).ContainsAnyExcept(ValidKeyChars) ? null : key;
    }

    private static readonly System.Buffers.SearchValues<char> ValidKeyChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}
