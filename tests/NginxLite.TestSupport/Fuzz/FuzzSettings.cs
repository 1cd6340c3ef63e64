using System.Globalization;

namespace NginxLite.TestSupport.Fuzz;

/// <summary>
/// How many inputs a fuzz slice runs and from which seed. CI: the slice's own small count and a fixed seed, so every
/// run tries the same inputs. <c>tools/fuzz/run.sh</c> sets NGINXLITE_FUZZ_COUNT (and NGINXLITE_FUZZ_READER to run one
/// reader long); without NGINXLITE_FUZZ_SEED the seed is then random, and printed so a failure reproduces.
/// </summary>
public sealed record FuzzSettings(long Count, ulong Seed, bool Long)
{
    public const string CountVariable = "NGINXLITE_FUZZ_COUNT";
    public const string SeedVariable = "NGINXLITE_FUZZ_SEED";
    public const string ReaderVariable = "NGINXLITE_FUZZ_READER";

    /// <summary>The CI seed: fixed, so the slice is the same inputs on every run.</summary>
    public const ulong FixedSeed = 20261201;

    public static FuzzSettings For(string reader, long ciCount)
    {
        var only = Environment.GetEnvironmentVariable(ReaderVariable);
        var selected = string.IsNullOrEmpty(only) || only == "all" || only.Equals(reader, StringComparison.OrdinalIgnoreCase);
        var count = Environment.GetEnvironmentVariable(CountVariable) is { Length: > 0 } c && selected
            ? long.Parse(c, CultureInfo.InvariantCulture)
            : ciCount;
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } s
            ? ulong.Parse(s, CultureInfo.InvariantCulture)
            : count == ciCount ? FixedSeed : (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        return new FuzzSettings(count, seed, count != ciCount);
    }
}
