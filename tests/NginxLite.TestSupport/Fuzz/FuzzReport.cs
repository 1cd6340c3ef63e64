namespace NginxLite.TestSupport.Fuzz;

/// <summary>What one fuzz run tried: printed by the slices (and by tools/fuzz/run.sh through the test output).</summary>
public sealed record FuzzReport(string Reader, FuzzSettings Settings, long Accepted, long Rejected, long MaxAllocation, long MaxInput, TimeSpan Elapsed)
{
    public long Total => Accepted + Rejected;

    public override string ToString() =>
        $"fuzz {Reader}: {Total} inputs (seed {Settings.Seed}{(Settings.Long ? ", long run" : ", CI slice")}): {Accepted} accepted, " +
        $"{Rejected} rejected with the parse error; largest input {MaxInput} bytes, max allocation {MaxAllocation} bytes; {Elapsed.TotalSeconds:0.0} s";
}
