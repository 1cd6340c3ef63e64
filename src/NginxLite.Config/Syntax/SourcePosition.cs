namespace NginxLite.Config.Syntax;

/// <summary>Where a directive was written: the real file (after include expansion) and 1-based line.</summary>
public readonly record struct SourcePosition(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
