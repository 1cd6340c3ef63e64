using System.Globalization;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>How many connections a load test opens: the environment variable's value, else the CI size.</summary>
public static class LoadSize
{
    public static int FromEnvironment(string name, int ciSize) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ciSize;
}
