namespace NginxLite.Config.Validation.Security.Values;

/// <summary>
/// One piece of a PCRE pattern, as far as the lint needs it: which characters a part may or must match.
/// The model follows gixy's <c>core/regexp.py</c>: a literal written in the pattern is fixed by the config
/// (not attacker input), so it "can contain" nothing; a class, <c>.</c> or a category can contain what it matches.
/// </summary>
internal abstract record RegexNode
{
    /// <summary>True when text matched by this node may hold <paramref name="c"/> chosen by the client.</summary>
    public abstract bool CanContain(char c);

    /// <summary>True when every match of this node holds <paramref name="c"/>.</summary>
    public abstract bool MustContain(char c);

    /// <summary>A single character, or a class / category / <c>.</c> (<paramref name="Literal"/> false).</summary>
    public sealed record CharSet(Func<char, bool> Matches, bool Literal) : RegexNode
    {
        public override bool CanContain(char c) => !Literal && Matches(c);

        public override bool MustContain(char c) => Literal && Matches(c);
    }

    /// <summary>A sequence of nodes (one alternative).</summary>
    public sealed record Sequence(IReadOnlyList<RegexNode> Items) : RegexNode
    {
        public override bool CanContain(char c) => Items.Any(i => i.CanContain(c));

        public override bool MustContain(char c) => Items.Any(i => i.MustContain(c));
    }

    /// <summary><c>a|b</c>: may hold what any branch may, must hold what all branches must.</summary>
    public sealed record Alternation(IReadOnlyList<RegexNode> Branches) : RegexNode
    {
        public override bool CanContain(char c) => Branches.Any(b => b.CanContain(c));

        public override bool MustContain(char c) => Branches.Count > 0 && Branches.All(b => b.MustContain(c));
    }

    /// <summary><c>x*</c>, <c>x+</c>, <c>x?</c>, <c>x{m,n}</c>.</summary>
    public sealed record Repeat(RegexNode Item, int Min, int Max) : RegexNode
    {
        public override bool CanContain(char c) => Max > 0 && Item.CanContain(c);

        public override bool MustContain(char c) => Min > 0 && Item.MustContain(c);
    }

    /// <summary>A group; <paramref name="Number"/> is 0 for non-capturing groups.</summary>
    public sealed record Group(RegexNode Body, int Number, string? Name) : RegexNode
    {
        public override bool CanContain(char c) => Body.CanContain(c);

        public override bool MustContain(char c) => Body.MustContain(c);
    }

    /// <summary><c>^</c>, <c>$</c>, <c>\b</c>, lookarounds: match no characters.</summary>
    public sealed record Empty : RegexNode
    {
        public static Empty Instance { get; } = new();

        public override bool CanContain(char c) => false;

        public override bool MustContain(char c) => false;
    }
}
