namespace NginxLite.Config.Validation.Security;

/// <summary>Knobs of the checks that need site knowledge (gixy's plugin options of the same names).</summary>
public sealed record SecurityLintOptions
{
    public static SecurityLintOptions Default { get; } = new();

    /// <summary>Trusted origin/referrer domains for the <c>origins</c> check; empty means "any real domain".</summary>
    public IReadOnlyList<string> OriginDomains { get; init; } = [];

    /// <summary>The <c>origins</c> check also flags regexes that accept <c>http://</c> origins.</summary>
    public bool OriginHttpsOnly { get; init; }
}
