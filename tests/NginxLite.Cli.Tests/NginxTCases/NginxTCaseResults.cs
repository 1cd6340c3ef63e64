using NginxLite.TestSupport;
using System.Text.RegularExpressions;
using NginxLite.Cli.Tests.Support;

namespace NginxLite.Cli.Tests.NginxTCases;

/// <summary>Reads RESULTS.txt: per case, the block after "--- same with -e" and the block after "--- with -q".</summary>
internal static partial class NginxTCaseResults
{
    public static IReadOnlyList<NginxTCase> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.NginxTCases, "RESULTS.txt"));
        var cases = new List<NginxTCase>();
        string? name = null;
        string? block = null;
        var withE = new List<string>();
        var quiet = new List<string>();
        var rc = 0;

        void Flush()
        {
            if (name is not null)
            {
                cases.Add(new NginxTCase(name, [.. withE], [.. quiet], rc));
            }

            withE.Clear();
            quiet.Clear();
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                Flush();
                name = line[4..].Trim();
                block = null;
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                block = line.StartsWith("--- same with -e", StringComparison.Ordinal) ? "e"
                    : line.StartsWith("--- with -q", StringComparison.Ordinal) ? "q"
                    : "stderr";
            }
            else if (line.StartsWith("rc=", StringComparison.Ordinal))
            {
                rc = int.Parse(line[3..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (block == "e" && line.Length > 0)
            {
                withE.Add(line);
            }
            else if (block == "q" && line.Length > 0)
            {
                quiet.Add(Timestamped().Replace(line, "nginx: [$1] "));
            }
        }

        Flush();
        return cases;
    }

    [GeneratedRegex(@"^YYYY/MM/DD HH:MM:SS \[(\w+)\] PID#TID: ")]
    private static partial Regex Timestamped();
}
