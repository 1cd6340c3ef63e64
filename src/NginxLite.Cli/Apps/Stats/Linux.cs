using System.Runtime.InteropServices;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>getuid/getgid for the stats JSON's <c>uid</c>/<c>gid</c> (the master's, as uWSGI reports).</summary>
internal static partial class Linux
{
    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint Uid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint Gid();
}
