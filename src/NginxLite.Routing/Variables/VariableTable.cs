namespace NginxLite.Routing.Variables;

/// <summary>
/// Maps variable names to <see cref="VariableRef"/>s for one route table: built-ins by name or prefix, and a slot for
/// every user variable (<c>set $x</c>, named regex captures), numbered as they are first seen.
/// </summary>
public sealed class VariableTable
{
    private static readonly Dictionary<string, VariableKind> BuiltIns = new(StringComparer.Ordinal)
    {
        ["uri"] = VariableKind.Uri, ["document_uri"] = VariableKind.Uri, ["request_uri"] = VariableKind.RequestUri,
        ["args"] = VariableKind.Args, ["query_string"] = VariableKind.Args, ["is_args"] = VariableKind.IsArgs,
        ["host"] = VariableKind.Host, ["hostname"] = VariableKind.Hostname,
        ["remote_addr"] = VariableKind.RemoteAddr, ["binary_remote_addr"] = VariableKind.RemoteAddr,
        ["remote_port"] = VariableKind.RemotePort, ["remote_user"] = VariableKind.RemoteUser,
        ["server_addr"] = VariableKind.ServerAddr, ["server_port"] = VariableKind.ServerPort,
        ["server_name"] = VariableKind.ServerName, ["server_protocol"] = VariableKind.ServerProtocol,
        ["scheme"] = VariableKind.Scheme, ["https"] = VariableKind.Https, ["request"] = VariableKind.Request,
        ["http2"] = VariableKind.Http2, ["ssl_protocol"] = VariableKind.SslProtocol, ["ssl_cipher"] = VariableKind.SslCipher,
        ["ssl_server_name"] = VariableKind.SslServerName, ["ssl_session_reused"] = VariableKind.SslSessionReused,
        ["request_method"] = VariableKind.RequestMethod, ["request_filename"] = VariableKind.RequestFilename,
        ["document_root"] = VariableKind.DocumentRoot, ["realpath_root"] = VariableKind.RealpathRoot,
        ["content_type"] = VariableKind.ContentType, ["content_length"] = VariableKind.ContentLength,
        ["request_length"] = VariableKind.RequestLength, ["request_time"] = VariableKind.RequestTime,
        ["status"] = VariableKind.Status, ["body_bytes_sent"] = VariableKind.BodyBytesSent,
        ["bytes_sent"] = VariableKind.BytesSent, ["time_local"] = VariableKind.TimeLocal,
        ["time_iso8601"] = VariableKind.TimeIso8601, ["msec"] = VariableKind.Msec, ["request_id"] = VariableKind.RequestId,
        ["nginx_version"] = VariableKind.NginxVersion, ["pid"] = VariableKind.Pid, ["connection"] = VariableKind.Connection,
        ["connection_requests"] = VariableKind.ConnectionRequests,
        ["fastcgi_script_name"] = VariableKind.FastCgiScriptName, ["fastcgi_path_info"] = VariableKind.FastCgiPathInfo,
    };

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ComputedVariable> _computed = new(StringComparer.Ordinal);

    public int UserVariableCount => _slots.Count;

    /// <summary>The slot of user variable <paramref name="name"/> (without <c>$</c>), allocated on first use.</summary>
    public int Slot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = _slots.Count;
            _slots[name] = slot;
        }

        return slot;
    }

    public bool IsUserVariable(string name) => _slots.ContainsKey(name);

    /// <summary>The slot of an existing user variable, without allocating one (safe on a built table).</summary>
    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    /// <summary>Declares <c>$name</c> as a map/geo/split_clients variable (its value is compiled later); the last
    /// declaration of a name wins.</summary>
    public void Declare(string name, ComputedVariable variable)
    {
        var lower = name.ToLowerInvariant();
        variable.Name = lower;
        variable.Slot = Slot(lower);
        _computed[lower] = variable;
    }

    public bool IsComputed(string name) => _computed.ContainsKey(name.ToLowerInvariant());

    /// <summary>Resolves a name as written after <c>$</c> (case-insensitive as nginx).</summary>
    public VariableRef Resolve(string name)
    {
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            return new VariableRef(VariableKind.Capture, name, name[0] - '0');
        }

        var lower = name.ToLowerInvariant();
        if (_computed.TryGetValue(lower, out var computed))
        {
            return new VariableRef(VariableKind.Computed, lower, computed.Slot) { Computed = computed };
        }

        if (_slots.TryGetValue(lower, out var slot))
        {
            return new VariableRef(VariableKind.User, lower, slot);
        }

        if (BuiltIns.TryGetValue(lower, out var kind))
        {
            return new VariableRef(kind, lower, 0);
        }

        if (lower.StartsWith("http_", StringComparison.Ordinal))
        {
            // $http_user_agent → the User-Agent header: '_' stands for '-'.
            return new VariableRef(VariableKind.Http, lower[5..].Replace('_', '-'), 0);
        }

        if (lower.StartsWith("sent_http_", StringComparison.Ordinal))
        {
            return new VariableRef(VariableKind.SentHttp, lower[10..].Replace('_', '-'), 0);
        }

        if (lower.StartsWith("arg_", StringComparison.Ordinal))
        {
            return new VariableRef(VariableKind.Arg, name[4..], 0);
        }

        if (lower.StartsWith("cookie_", StringComparison.Ordinal))
        {
            return new VariableRef(VariableKind.Cookie, name[7..], 0);
        }

        // A variable nginx knows but the engine does not compute yet (map, geo, upstream_*): empty, never an error
        // here, because `nginxlite -t` already refused truly unknown names.
        return new VariableRef(VariableKind.User, lower, Slot(lower));
    }
}
