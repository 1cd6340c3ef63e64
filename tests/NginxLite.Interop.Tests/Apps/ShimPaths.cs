using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Apps;

/// <summary>The worker shims in the repo (src/NginxLite.Apps/shims) and the interpreters the supervisor would pick.</summary>
public static class ShimPaths
{
    /// <summary>Debian's python3: the one python3-flask, python3-django and uWSGI's python3 plugin belong to.</summary>
    public const string Python = "/usr/bin/python3";

    public const string Ruby = "/usr/bin/ruby";

    public static string Wsgi => Path.Combine(RepoPaths.Root, "src", "NginxLite.Apps", "shims", "python", "nginxlite_wsgi.py");

    public static string Rack => Path.Combine(RepoPaths.Root, "src", "NginxLite.Apps", "shims", "ruby", "nginxlite_rack.rb");

    /// <summary>A test app file copied next to the test assembly (Apps/*.py, Apps/*.ru).</summary>
    public static string TestApp(string name) => Path.Combine(AppContext.BaseDirectory, "Apps", name);
}
