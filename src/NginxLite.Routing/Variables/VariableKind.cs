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
