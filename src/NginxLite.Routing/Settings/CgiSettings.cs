using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The cgi_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class CgiSettings
{
    public static readonly CgiSettings Default = new();

    /// <summary><c>cgi_user USER [GROUP]</c>; null: the <c>user</c> directive's user, else <c>nobody</c>.</summary>
    public string? User { get; internal set; }

    /// <summary>The GROUP of <c>cgi_user</c>; null: the user's primary group.</summary>
    public string? Group { get; internal set; }

    /// <summary><c>cgi_timeout</c>: how long the script may stay silent (no output) before it is killed (504).</summary>
    public TimeSpan Timeout { get; internal set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>cgi_param NAME VALUE</c>: extra meta-variables (array directive: a level's own replace the inherited).</summary>
    public CgiParam[] Params { get; internal set; } = [];

    /// <summary><c>cgi_interpreter .ext /path/to/interpreter</c>: scripts with that extension run through it.</summary>
    public IReadOnlyDictionary<string, string> Interpreters { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>cgi_allow_root_owned</c> (on by default): a script owned by root passes the owner check, as
    /// distribution scripts in /usr/lib/cgi-bin are; off: only scripts owned by the target user run (suEXEC).</summary>
    public bool AllowRootOwned { get; internal set; } = true;

    /// <summary><c>cgi_max_procs N</c>: a script of this location starts only while fewer than N CGI scripts run in
    /// the whole server; others wait in one FIFO queue. 0 (unset): <see cref="DefaultMaxProcs"/>.</summary>
    public int MaxProcs { get; internal set; }

    /// <summary>The default cap: 4 per core (docs/cgi.md, "Concurrency cap", measured with tools/bench/cgi.sh).</summary>
    public static int DefaultMaxProcs => 4 * Environment.ProcessorCount;

    /// <summary>The cap that applies: <see cref="MaxProcs"/>, else the default.</summary>
    public int EffectiveMaxProcs => MaxProcs > 0 ? MaxProcs : DefaultMaxProcs;

    /// <summary><c>cgi_preload python</c>: scripts the python3 interpreter runs (by <c>cgi_interpreter</c> or a
    /// shebang without flags) are forked from a per-account fork server instead of spawned fresh (off by default).</summary>
    public bool PreloadPython { get; internal set; }

    internal CgiSettings Clone() => (CgiSettings)MemberwiseClone();
}

/// <summary>One <c>cgi_param</c>: a meta-variable name and its value (with variables).</summary>
public sealed record CgiParam(string Name, ComplexValue Value);
