using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers;
using NginxLite.Routing;
using NginxLite.Routing.Locations;
using NginxLite.Routing.Servers;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;
using NginxLite.Server.Hosting;

namespace NginxLite.Server.Http;

/// <summary>One request: the state compiled values read (<see cref="IRequestState"/>) and what the phases decided.</summary>
internal sealed partial class RequestContext : IUpstreamRequest
{
    private static long s_requestCounter;

    private readonly IHttpRequestFeature _request;
    private readonly IHttpResponseFeature _response;
    private readonly IHttpResponseBodyFeature _body;
    private readonly IHttpConnectionFeature? _connection;
    private readonly IFeatureCollection _features;
    private readonly ServerRuntime _runtime;
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _requestId;

    private readonly ConnectionInfo? _connectionInfo;
    private readonly int _headLength;

    // $connection_requests as this request began (HTTP/2 streams of one connection run concurrently).
    private readonly int _connectionRequest;
    private long _bodyBytesRead;

    /// <summary>For handlers that read the request body (proxy, fastcgi, uwsgi …): nginx counts those bytes in
    /// <c>$request_length</c> (ngx_http_read_client_request_body); a discarded body is not counted.</summary>
    internal void CountRequestBody(long bytes) => _bodyBytesRead += bytes;

    public RequestContext(IFeatureCollection features, ServerRuntime runtime, RouteTable table, ServerNameLookup lookup,
        ConnectionInfo? connection = null)
    {
        Features = features;
        _connectionInfo = connection;
        _connectionRequest = 1;
        _headLength = connection?.BeginRequest(out _connectionRequest) ?? 0;
        _features = features;
        _request = features.Get<IHttpRequestFeature>()!;
        _response = features.Get<IHttpResponseFeature>()!;
        _body = features.Get<IHttpResponseBodyFeature>()!;
        _connection = features.Get<IHttpConnectionFeature>();
        _runtime = runtime;
        Table = table;
        Lookup = lookup;
        UserVariables = table.UserVariableCount == 0 ? [] : new string?[table.UserVariableCount];
        Number = Interlocked.Increment(ref s_requestCounter);
        Method = _request.Method;
    }

    public RouteTable Table { get; }

    /// <summary>The connection is TLS (a <c>listen … ssl</c> socket): Kestrel sets the scheme from its TLS feature.</summary>
    public bool IsHttps => string.Equals(_request.Scheme, "https", StringComparison.Ordinal);

    public IFeatureCollection Features { get; }

    public CancellationToken Aborted => Features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;

    public ServerNameLookup Lookup { get; }

    public long Number { get; }

    /// <summary>nginx's connection serial number (<c>$connection</c>, <c>*N</c> in the error log).</summary>
    public long ConnectionNumber => _connectionInfo?.Number ?? Number;

    public string Method { get; private set; }

    public string Uri { get; set; } = "/";

    public string Args { get; set; } = "";

    public Match? Captures { get; set; }

    public string?[] UserVariables { get; }

    public string Host { get; private set; } = "";

    /// <summary>The Host header as the client sent it, port included: nginx's error log prints
    /// <c>r->headers_in.host</c>'s value (ngx_http_log_error_handler), not the normalized <c>$host</c>.</summary>
    internal string HostHeaderValue => _request.Headers.Host.ToString();

    public VirtualServer? Server { get; private set; }

    /// <summary>Time since the request head was parsed ($request_time, unrounded).</summary>
    internal TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public Location? Location { get; private set; }

    public LocationSettings Settings { get; private set; } = null!;

    public int Status { get; private set; }

    public long BodyBytesSent { get; private set; }

    public bool IsInternal { get; private set; }

    public string RequestLine => $"{_request.Method} {_request.RawTarget} {Protocol}";

    private string? Header(string name)
    {
        var values = _request.Headers[name];
        return values.Count == 0 ? null : values.ToString();
    }

    /// <summary>ngx_http_variable_unknown_header: '_' in the variable name matches '_' or '-' in a header name (a header
    /// written with underscores, accepted by underscores_in_headers). Only looked for when the dashed name is absent.</summary>
    private string? UnderscoreHeader(string dashed)
    {
        if (!dashed.Contains('-'))
        {
            return null;
        }

        foreach (var (key, value) in _request.Headers)
        {
            if (key.Length == dashed.Length && key.Contains('_')
                && key.Replace('_', '-').Equals(dashed, StringComparison.OrdinalIgnoreCase))
            {
                return value.ToString();
            }
        }

        return null;
    }

    public string? GetVariable(VariableRef v)
    {
        switch (v.Kind)
        {
            case VariableKind.RequestUri:
                return _request.RawTarget;
            case VariableKind.Arg:
                return ArgValue(v.Name);
            case VariableKind.Host:
                return Host.Length > 0 ? Host : Server?.PrimaryName ?? "";
            case VariableKind.Hostname:
                return Table.Main.Hostname;
            case VariableKind.Http:
                return Header(v.Name) ?? UnderscoreHeader(v.Name);
            case VariableKind.Cookie:
                return CookieValue(v.Name);
            case VariableKind.SentHttp:
                var sent = _response.Headers[v.Name];
                return sent.Count == 0 ? null : sent.ToString();
            case VariableKind.RemoteAddr:
                return _connection?.RemoteIpAddress is { } ip ? Unmap(ip).ToString() : "unix:";
            case VariableKind.RemoteUser:
                return TryBasicCredentials(Header("Authorization") ?? "", out var user, out _) ? user : null;
            case VariableKind.RemotePort:
                return _connection?.RemoteIpAddress is null ? "" : _connection.RemotePort.ToString(CultureInfo.InvariantCulture);
            case VariableKind.ServerAddr:
                return _connection?.LocalIpAddress is { } local ? Unmap(local).ToString() : "unix:";
            case VariableKind.ServerPort:
                return _connection?.LocalIpAddress is null ? "" : _connection.LocalPort.ToString(CultureInfo.InvariantCulture);
            case VariableKind.ServerName:
                return Server?.PrimaryName ?? "";
            case VariableKind.ServerProtocol:
                return Protocol;
            case VariableKind.Scheme:
                return IsHttps ? "https" : "http";
            case VariableKind.Https:
                // ngx_http_ssl_module: "on" on an SSL connection, else an empty string
                return IsHttps ? "on" : "";
            case VariableKind.Http2 or VariableKind.SslProtocol or VariableKind.SslCipher or VariableKind.SslServerName or VariableKind.SslSessionReused:
                return TlsVariable(v.Kind);
            case VariableKind.Request:
                return RequestLine;
            case VariableKind.RequestMethod:
                return _request.Method;
            case VariableKind.FastCgiScriptName:
                return FastCgiPathSplit.ScriptName(this, Settings.FastCgi);
            case VariableKind.FastCgiPathInfo:
                return FastCgiPathSplit.PathInfo(this, Settings.FastCgi);
            case VariableKind.RequestFilename:
                return MapPath(Uri);
            case VariableKind.DocumentRoot:
                return (Settings.Alias ?? Settings.Root).Evaluate(this);
            case VariableKind.RealpathRoot:
                var root = (Settings.Alias ?? Settings.Root).Evaluate(this);
                return Directory.Exists(root) ? Path.GetFullPath(new DirectoryInfo(root).ResolveLinkTarget(true)?.FullName ?? root) : root;
            case VariableKind.ContentType:
                return Header("Content-Type");
            case VariableKind.ContentLength:
                return Header("Content-Length");
            case VariableKind.RequestLength:
                // the head's bytes as received (nginx adds a body only when a handler reads it; static files and
                // return discard it)
                return _connectionInfo is null || IsHttp2
                    ? (RequestLine.Length + 2 + _request.Headers.Sum(h => h.Key.Length + 4 + h.Value.ToString().Length) + 2)
                        .ToString(CultureInfo.InvariantCulture)
                    : (_headLength + _bodyBytesRead).ToString(CultureInfo.InvariantCulture);
            case VariableKind.RequestTime:
                return Stopwatch.GetElapsedTime(_started).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
            case VariableKind.Status:
                // nginx: err_status (the error an error_page is answering) before the response's status
                return (Status != 0 ? Status : _forcedStatus ?? _response.StatusCode).ToString("000", CultureInfo.InvariantCulture);
            case VariableKind.BodyBytesSent:
                return BodyBytesSent.ToString(CultureInfo.InvariantCulture);
            case VariableKind.BytesSent:
                return BodyBytesSent.ToString(CultureInfo.InvariantCulture);
            case VariableKind.TimeLocal:
                return DateTimeOffset.Now.ToString("dd/MMM/yyyy:HH:mm:ss ", CultureInfo.InvariantCulture)
                    + DateTimeOffset.Now.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
            case VariableKind.TimeIso8601:
                return DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            case VariableKind.Msec:
                return (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
            case VariableKind.RequestId:
                return _requestId ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            case VariableKind.NginxVersion:
                return StatusPages.Version;
            case VariableKind.Pid:
                return Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            case VariableKind.Connection:
                return ConnectionNumber.ToString(CultureInfo.InvariantCulture);
            case VariableKind.ConnectionRequests:
                return _connectionRequest.ToString(CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }

    /// <summary>ngx_http_update_location_config: keep-alive ends after this response when the location's
    /// keepalive_timeout is 0, the connection has served keepalive_requests, or is older than keepalive_time.</summary>
    private void ApplyKeepalive()
    {
        var s = Settings;
        if (_connectionInfo is not { } c || s is null || IsHttp2)
        {
            // HTTP/2 has no Connection header (RFC 9113 8.2.2) and its streams do not end the connection.
            return;
        }

        if (s.KeepaliveTimeout <= TimeSpan.Zero || c.Requests >= s.KeepaliveRequests || Stopwatch.GetElapsedTime(c.Started) > s.KeepaliveTime)
        {
            _response.Headers.Connection = "close";
        }

        c.KeepaliveTimeout = s.KeepaliveTimeout;
    }

    void IRequestState.LogError(string message) => Log(ErrorLevel.Error, message);

    private static IPAddress Unmap(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    // Scans the query string in place: only the value found is allocated (runs per $arg_NAME use, per request).
    private string? ArgValue(string name)
    {
        var rest = Args.AsSpan();
        while (true)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return eq < 0 ? "" : pair[(eq + 1)..].ToString();
            }

            if (amp < 0)
            {
                return null;
            }

            rest = rest[(amp + 1)..];
        }
    }

    // Scans each Cookie header in place: only the value found is allocated. Names compare case-insensitively, as
    // nginx's ngx_http_parse_multi_header_lines does (checked against nginx 1.22.1).
    private string? CookieValue(string name)
    {
        foreach (var header in _request.Headers["Cookie"])
        {
            var rest = (header ?? "").AsSpan();
            while (rest.Length > 0)
            {
                var semi = rest.IndexOf(';');
                var item = (semi < 0 ? rest : rest[..semi]).Trim();
                if (item.Length > name.Length && item[name.Length] == '=' && item.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return item[(name.Length + 1)..].ToString();
                }

                rest = semi < 0 ? default : rest[(semi + 1)..];
            }
        }

        return null;
    }

    /// <summary>The file a URI maps to in the current location: root + uri, or alias + the part after the location name
    /// (for a regex location, the evaluated alias itself).</summary>
    public string MapPath(string uri)
    {
        if (Settings.Alias is { } alias)
        {
            var a = alias.Evaluate(this);
            if (Location is { Kind: LocationMatchKind.Regex })
            {
                return a;
            }

            var name = Location?.Name ?? "";
            return uri.Length >= name.Length && uri.StartsWith(name, StringComparison.Ordinal) ? a + uri[name.Length..] : a + uri;
        }

        return Settings.Root.Evaluate(this) + uri;
    }
}
