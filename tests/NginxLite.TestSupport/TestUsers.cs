using System.Diagnostics;

namespace NginxLite.TestSupport;

/// <summary>
/// Unprivileged accounts for privilege-drop tests, created with useradd/groupadd when missing (CI runs as root):
/// <c>nginxlite-cgi</c> (own primary group, and member of <c>nginxlite-cgx</c>) and <c>nginxlite-cgo</c> (another user).
/// </summary>
public static class TestUsers
{
    public const string Cgi = "nginxlite-cgi";
    public const string ExtraGroup = "nginxlite-cgx";
    public const string Other = "nginxlite-cgo";

    private static readonly Lazy<bool> Created = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure the accounts exist (once per test process).</summary>
    public static void Ensure() => _ = Created.Value;

    public static int Uid(string user) => int.Parse(Run("id", "-u", user).Trim());

    public static int Gid(string group) => int.Parse(Run("getent", "group", group).Split(':')[2]);

    private static bool Create()
    {
        if (!Exists("group", ExtraGroup))
        {
            Run("groupadd", "--system", ExtraGroup);
        }

        foreach (var user in new[] { Cgi, Other })
        {
            if (!Exists("passwd", user))
            {
                Run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
            }
        }

        Run("usermod", "-a", "-G", ExtraGroup, Cgi);
        return true;
    }

    private static bool Exists(string database, string name)
    {
        using var p = Process.Start(new ProcessStartInfo("getent", [database, name]) { RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    /// <summary>Runs a command; a failure (other than "already exists" from a parallel test run) throws.</summary>
    public static string Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && !error.Contains("already exists", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {error}");
        }

        return output;
    }
}
