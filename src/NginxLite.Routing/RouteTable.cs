using NginxLite.Routing.Servers;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing;

/// <summary>
/// A whole configuration, compiled: the sockets to open and, behind each, the servers and their locations. Immutable;
/// the server holds the current one in a single volatile field and swaps it on reload.
/// </summary>
public sealed class RouteTable
{
    internal RouteTable(IReadOnlyList<Listener> listeners, MainSettings main, VariableTable variables)
    {
        Listeners = listeners;
        Main = main;
        Variables = variables;
    }

    public IReadOnlyList<Listener> Listeners { get; }

    public MainSettings Main { get; }

    public VariableTable Variables { get; }

    /// <summary>The <c>upstream NAME { … }</c> blocks by name (case-insensitive, as nginx compares them).</summary>
    public IReadOnlyDictionary<string, UpstreamGroup> Upstreams { get; internal init; } = new Dictionary<string, UpstreamGroup>();

    /// <summary>The <c>app NAME { … }</c> pools by name (issue 6, docs/apps.md).</summary>
    public IReadOnlyDictionary<string, Apps.AppSettings> Apps { get; internal init; } = new Dictionary<string, Apps.AppSettings>();

    /// <summary>Every <c>cgi_user USER [GROUP]</c> the configuration names (the accounts the privileged helper may
    /// spawn CGI scripts as, besides <c>user</c>'s; docs/cgi.md).</summary>
    public IReadOnlyList<(string User, string? Group)> CgiUsers { get; internal init; } = [];

    /// <summary>Errors found while compiling (an app's <c>ini</c> file that cannot be read or has unsupported keys).</summary>
    public IReadOnlyList<Config.Validation.Diagnostic> CompileDiagnostics { get; internal init; } = [];

    /// <summary>How many user-variable slots a request needs.</summary>
    public int UserVariableCount => Variables.UserVariableCount;

    /// <summary>The listener of a socket (per request: an index loop, no closure or boxed enumerator).</summary>
    public Listener? FindListener(ListenAddress address)
    {
        var listeners = Listeners;
        for (var i = 0; i < listeners.Count; i++)
        {
            if (listeners[i].Address == address)
            {
                return listeners[i];
            }
        }

        return null;
    }
}

/// <summary>Main-context settings: the pid file, the error log, the prefix everything resolves against.</summary>
public sealed record MainSettings(string Prefix, string PidFile, string ErrorLogPath, ErrorLevel ErrorLogLevel,
    TimeSpan KeepaliveTimeout, int KeepaliveRequests, TimeSpan ClientHeaderTimeout, string Hostname)
{
    /// <summary><c>user USER [GROUP]</c>: the account the server drops to after binding (null: no drop).</summary>
    public string? User { get; init; }

    /// <summary>The GROUP of <c>user</c>, or NginxLite's <c>group</c> directive; null: the user's primary group.</summary>
    public string? Group { get; init; }

    /// <summary><c>chmod_socket</c>: the mode of <c>listen unix:</c> socket files (octal text, e.g. "660"), or null.</summary>
    public string? SocketMode { get; init; }

    /// <summary><c>chown_socket USER[:GROUP]</c>: the owner of <c>listen unix:</c> socket files, or null.</summary>
    public string? SocketOwner { get; init; }
}

/// <summary>nginx's error-log levels, most severe first.</summary>
public enum ErrorLevel
{
    Emerg,
    Alert,
    Crit,
    Error,
    Warn,
    Notice,
    Info,
    Debug,
}
