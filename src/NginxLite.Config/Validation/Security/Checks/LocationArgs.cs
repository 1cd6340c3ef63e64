namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>A <c>location [modifier] path</c> read from its arguments (modifier "" for a plain prefix).</summary>
internal readonly record struct LocationArgs(string Modifier, string Path)
{
    public static LocationArgs Of(LintNode location) =>
        location.ArgCount >= 2 ? new(location.Arg(0), location.Arg(1))
        : location.Arg(0) is var one && one.StartsWith('=') && one.Length > 1 ? new("=", one[1..])
        : one.StartsWith('~') ? new(one.StartsWith("~*", StringComparison.Ordinal) ? "~*" : "~", one.TrimStart('~', '*'))
        : new("", one);

    public bool IsPrefix => Modifier is "" or "^~";

    public bool IsRegex => Modifier is "~" or "~*";
}
