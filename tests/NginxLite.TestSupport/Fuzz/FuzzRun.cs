using System.Diagnostics;
using CsCheck;

namespace NginxLite.TestSupport.Fuzz;

/// <summary>
/// Runs one reader over generated inputs: each input must be accepted or rejected with the reader's documented parse
/// error (any other exception fails), and allocate less than a generous bound for its size (no unbounded allocation).
/// Termination is checked by the readers' own loops (progress on every step) and by the count: a hang never finishes.
/// A failure names the reader, seed and input index, and shows the input, so <c>NGINXLITE_FUZZ_SEED</c> reproduces it.
/// </summary>
public static class FuzzRun
{
    public static FuzzReport Run(string reader, long ciCount, Gen<byte[]> inputs, Action<byte[], PCG> read, Type[] rejections, long allocationPerByte = 256, long allocationBase = 1 << 20)
    {
        var settings = FuzzSettings.For(reader, ciCount);
        var pcg = new PCG(Stream(reader), settings.Seed);
        long accepted = 0, rejected = 0, maxAllocation = 0, maxInput = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < settings.Count; i++)
        {
            var input = inputs.Generate(pcg, null, out _);
            maxInput = Math.Max(maxInput, input.Length);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(input, pcg);
                accepted++;
            }
            catch (Exception e) when (rejections.Any(t => t.IsInstanceOfType(e)))
            {
                rejected++;
            }
            catch (Exception e)
            {
                throw new FuzzFailure($"{reader}: input #{i} of seed {settings.Seed} threw {e.GetType().Name}: {e.Message}\n{Show(input)}\n{e}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            maxAllocation = Math.Max(maxAllocation, allocated);
            var bound = allocationBase + (allocationPerByte * input.Length);
            if (allocated > bound)
            {
                throw new FuzzFailure($"{reader}: input #{i} of seed {settings.Seed} ({input.Length} bytes) allocated {allocated} bytes, over the bound {bound}\n{Show(input)}");
            }
        }

        return new FuzzReport(reader, settings, accepted, rejected, maxAllocation, maxInput, clock.Elapsed);
    }

    /// <summary>A PCG stream per reader, stable across processes (string.GetHashCode is randomized per process).</summary>
    private static uint Stream(string reader)
    {
        var hash = 2166136261u;
        foreach (var c in reader)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash & 0x7fffffff;
    }

    private static string Show(byte[] input) =>
        "input (hex): " + Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 2048))) + (input.Length > 2048 ? $"…(+{input.Length - 2048} bytes)" : "");
}
