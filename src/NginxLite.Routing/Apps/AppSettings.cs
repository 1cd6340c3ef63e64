namespace NginxLite.Routing.Apps;

/// <summary>
/// One <c>app NAME { … }</c> block (or the uwsgi.ini it loads with <c>ini FILE;</c>), compiled: what the supervisor
/// needs to run the pool. Immutable, compared by value: a reload keeps a pool whose settings are equal (docs/apps.md).
/// Paths are absolute (relative ones resolve against the directory of the file they are written in).
/// </summary>
public sealed record AppSettings(string Name)
{
    /// <summary><c>module MOD[:CALLABLE]</c> (uWSGI <c>module</c>/<c>wsgi</c>).</summary>
    public string? Module { get; init; }

    /// <summary><c>wsgi_file FILE</c> (uWSGI <c>wsgi-file</c>/<c>file</c>).</summary>
    public string? WsgiFile { get; init; }

    /// <summary><c>callable NAME</c>; null: the shim's default, <c>application</c> (uWSGI's default).</summary>
    public string? Callable { get; init; }

    /// <summary><c>rack config.ru</c>: a Ruby Rack app instead of a WSGI one.</summary>
    public string? Rack { get; init; }

    /// <summary><c>chdir DIR</c>; default: the directory of the file the block is in.</summary>
    public string Chdir { get; init; } = "/";

    /// <summary><c>virtualenv DIR</c> / <c>home DIR</c> (uWSGI <c>home</c>/<c>venv</c>/<c>pyhome</c>): the interpreter is DIR/bin/python3.</summary>
    public string? Virtualenv { get; init; }

    public IReadOnlyList<string> PythonPath { get; init; } = [];

    public int Processes { get; init; } = 1;

    public int Threads { get; init; } = 1;

    /// <summary><c>user USER [GROUP]</c>; null: the <c>user</c> directive's user, else nobody (when the server is root).</summary>
    public string? User { get; init; }

    public string? Group { get; init; }

    /// <summary><c>env NAME=VALUE</c> entries, in order.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary><c>harakiri</c>: a request running longer gets its worker killed (zero: off).</summary>
    public TimeSpan Harakiri { get; init; }

    /// <summary><c>max_requests</c>: a worker is recycled after this many requests (0: never).</summary>
    public long MaxRequests { get; init; }

    /// <summary><c>reload_on_rss</c> in bytes: a worker whose VmRSS is above it after a request is recycled (0: never).</summary>
    public long ReloadOnRss { get; init; }

    /// <summary><c>lazy_apps</c>: on, every worker imports the app itself; off, the app is imported once by a loader
    /// and the workers are forked from it (uWSGI's default). NginxLite's default is on (docs/apps.md says why).</summary>
    public bool LazyApps { get; init; } = true;

    public int ListenBacklog { get; init; } = 100;

    /// <summary><c>buffer_size</c>: the largest uwsgi vars block a worker takes (uWSGI's default 4096).</summary>
    public int BufferSize { get; init; } = 4096;

    /// <summary><c>socket PATH</c>: a public uwsgi-protocol Unix socket relayed to the workers (null: none).</summary>
    public string? Socket { get; init; }

    /// <summary><c>chmod_socket</c> (octal text, e.g. "660").</summary>
    public string? ChmodSocket { get; init; }

    /// <summary><c>chown_socket USER[:GROUP]</c>.</summary>
    public string? ChownSocket { get; init; }

    /// <summary>The <c>ini FILE</c> the settings came from (null: none).</summary>
    public string? IniFile { get; init; }

    /// <summary>Where the block is (<c>FILE:LINE</c>), for log lines; not part of equality.</summary>
    public string Position { get; init; } = "";

    /// <summary>True for a Rack application (Ruby), false for WSGI (Python).</summary>
    public bool IsRack => Rack is not null;

    public bool Equals(AppSettings? other) =>
        other is not null && Name == other.Name && Module == other.Module && WsgiFile == other.WsgiFile
        && Callable == other.Callable && Rack == other.Rack && Chdir == other.Chdir && Virtualenv == other.Virtualenv
        && PythonPath.SequenceEqual(other.PythonPath) && Processes == other.Processes && Threads == other.Threads
        && User == other.User && Group == other.Group && Env.SequenceEqual(other.Env) && Harakiri == other.Harakiri
        && MaxRequests == other.MaxRequests && ReloadOnRss == other.ReloadOnRss && LazyApps == other.LazyApps
        && ListenBacklog == other.ListenBacklog && BufferSize == other.BufferSize && Socket == other.Socket
        && ChmodSocket == other.ChmodSocket && ChownSocket == other.ChownSocket && IniFile == other.IniFile;

    public override int GetHashCode() => HashCode.Combine(Name, Module, WsgiFile, Rack, Chdir, Processes, Socket);
}
