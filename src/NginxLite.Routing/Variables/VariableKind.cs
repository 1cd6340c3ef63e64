namespace NginxLite.Routing.Variables;

/// <summary>The nginx variables the engine evaluates. <c>Http</c>, <c>Arg</c>, <c>Cookie</c>, <c>SentHttp</c> carry a name.</summary>
public enum VariableKind : byte
{
    Uri,
    RequestUri,
    Args,
    Arg,
    IsArgs,
    Host,
    Hostname,
    Http,
    Cookie,
    SentHttp,
    RemoteAddr,
    RemotePort,
    RemoteUser,
    ServerAddr,
    ServerPort,
    ServerName,
    ServerProtocol,
    Scheme,
    Https,

    /// <summary><c>$http2</c>: "h2" (HTTP/2 over TLS), "h2c" (cleartext HTTP/2), else empty (ngx_http_v2_module).</summary>
    Http2,

    /// <summary><c>$ssl_protocol</c>, <c>$ssl_cipher</c>, <c>$ssl_server_name</c>, <c>$ssl_session_reused</c>
    /// (ngx_http_ssl_module): read from the connection's TLS handshake when used, empty on a plain connection.</summary>
    SslProtocol,
    SslCipher,
    SslServerName,
    SslSessionReused,
    Request,
    RequestMethod,
    RequestFilename,
    DocumentRoot,
    RealpathRoot,
    ContentType,
    ContentLength,
    RequestLength,
    RequestTime,
    Status,
    BodyBytesSent,
    BytesSent,
    TimeLocal,
    TimeIso8601,
    Msec,
    RequestId,
    NginxVersion,
    Pid,
    Connection,
    ConnectionRequests,
    Capture,
    User,

    /// <summary><c>$fastcgi_script_name</c>, <c>$fastcgi_path_info</c>: the URI split by fastcgi_split_path_info.</summary>
    FastCgiScriptName,
    FastCgiPathInfo,

    /// <summary>map / geo / split_clients: <see cref="VariableRef.Computed"/>, cached in user slot <c>Index</c>.</summary>
    Computed,
    Empty,
}

/// <summary>A variable reference resolved at compile time: kind, the name suffix (for <c>$http_x</c>…) or the index
/// (capture number, user-variable slot).</summary>
public sealed record VariableRef(VariableKind Kind, string Name, int Index)
{
    /// <summary>The map, geo or split_clients behind a <see cref="VariableKind.Computed"/> variable.</summary>
    public ComputedVariable? Computed { get; init; }

    public override string ToString() => Kind switch
    {
        VariableKind.Capture => "$" + Index,
        _ => "$" + Name,
    };
}
