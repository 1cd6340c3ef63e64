using System.Globalization;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>A process's resident set size from <c>/proc/PID/status</c> (VmRSS, kB).</summary>
public static class ServerMemory
{
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>An integer from the environment, else <paramref name="fallback"/> (the CI size).</summary>
    public static int EnvCount(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
