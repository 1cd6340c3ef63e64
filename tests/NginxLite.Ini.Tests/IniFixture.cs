using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Expansion;
using NginxLite.Ini.Loading;

namespace NginxLite.Ini.Tests;

/// <summary>Fixed machine facts and environment, so expansion and snapshots do not depend on the test host.</summary>
internal static class IniFixture
{
    public static HostFacts Host(string cwd) => new(cwd, "testhost", 8, "1000", "alice", "1000", "staff");

    public static IniLoadOptions Options(string cwd, Dictionary<string, string>? env = null) => new()
    {
        Host = Host(cwd),
        Environment = env ?? new Dictionary<string, string> { ["HOME"] = "/home/alice", ["APP_ENV"] = "prod" },
    };

    public static IniDocument Load(TempDir dir, string file, Dictionary<string, string>? env = null) =>
        IniLoader.Load(Path.Combine(dir.Path, file), Options(dir.Path, env));

    /// <summary>Runs NginxLite's own config checker (what <c>nginxlite -t</c> runs) over a config text.</summary>
    public static ConfigTestResult CheckConfig(string text, string directory) =>
        ConfigTest.RunText(text, Path.Combine(directory, "migrated.conf"), new LoadOptions(), new BindOptions());

    public static string Errors(ConfigTestResult result) =>
        string.Join("\n", result.Diagnostics.Where(d => d.IsError));
}
