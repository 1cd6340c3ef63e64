namespace NginxLite.Config.Validation.Security.Values;

/// <summary>
/// What a variable (or a whole script such as <c>http://$host$uri</c>) may hold, in gixy's terms
/// (<c>core/variable.py</c>): whether the client can put a given character in it, and whether it always holds one.
/// </summary>
internal abstract record ValueModel
{
    public abstract bool CanContain(char c);

    public abstract bool MustContain(char c);

    /// <summary>A variable the lint cannot see the value of (map, geo, a module's): never a finding, as in gixy.</summary>
    public sealed record Unknown : ValueModel
    {
        public static Unknown Instance { get; } = new();

        public override bool CanContain(char c) => false;

        public override bool MustContain(char c) => false;
    }

    /// <summary>A value the server fixes or strictly limits (<c>$remote_addr</c>, <c>$scheme</c>, <c>$host</c> …).</summary>
    public sealed record Server : ValueModel
    {
        public static Server Instance { get; } = new();

        public override bool CanContain(char c) => false;

        public override bool MustContain(char c) => false;
    }

    /// <summary>Client input of the shape <paramref name="Pattern"/> (a builtin's grammar or a regex capture).</summary>
    public sealed record Matched(RegexNode Pattern) : ValueModel
    {
        public override bool CanContain(char c) => Pattern.CanContain(c);

        public override bool MustContain(char c) => Pattern.MustContain(c);
    }

    /// <summary>A script: literal text and variables, e.g. the value of <c>set $u "http://$1/$p";</c>.</summary>
    public sealed record Script(IReadOnlyList<string> Literals, IReadOnlyList<ValueModel> Variables) : ValueModel
    {
        public override bool CanContain(char c) => Variables.Any(v => v.CanContain(c));

        public override bool MustContain(char c) =>
            Literals.Any(l => l.Contains(c, StringComparison.Ordinal)) || Variables.Any(v => v.MustContain(c));
    }
}
