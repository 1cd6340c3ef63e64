using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The fastcgi_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class FastCgiSettings : CgiUpstreamSettings
{
    public static readonly FastCgiSettings Default = new();

    /// <summary><c>fastcgi_index</c>: appended to <c>$fastcgi_script_name</c> for a URI ending in a slash.</summary>
    public string? Index { get; internal set; }

    /// <summary><c>fastcgi_split_path_info</c>: two captures, script name and path info.</summary>
    public CompiledRegex? SplitPathInfo { get; internal set; }

    /// <summary><c>fastcgi_keep_conn</c>: asks the application to keep the connection (FCGI_KEEP_CONN).</summary>
    public bool KeepConn { get; internal set; }

    internal FastCgiSettings Clone() => (FastCgiSettings)MemberwiseClone();
}
