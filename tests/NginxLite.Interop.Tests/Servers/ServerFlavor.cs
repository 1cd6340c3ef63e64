using System.Diagnostics;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>Which server a <see cref="ServerProcess"/> runs, and how its command line is formed.</summary>
public abstract class ServerFlavor
{
    public static readonly ServerFlavor Nginx = new NginxFlavor();

    public static readonly ServerFlavor NginxLite = new NginxLiteFlavor();

    /// <summary>Short name used in messages ("nginx", "nginxlite").</summary>
    public abstract string Name { get; }

    /// <summary>The name the server writes in its built-in error pages: <c>&lt;hr&gt;&lt;center&gt;NAME&lt;/center&gt;</c>.</summary>
    public abstract string ErrorPageName { get; }

    /// <summary>The command that serves <paramref name="configFile"/> in the foreground with its logs under <paramref name="prefix"/>.</summary>
    public abstract ProcessStartInfo StartInfo(string configFile, string prefix, string errorLog);

    public override string ToString() => Name;
}
