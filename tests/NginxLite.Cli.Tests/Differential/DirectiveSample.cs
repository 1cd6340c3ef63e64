namespace NginxLite.Cli.Tests.Differential;

/// <summary>A simple directive as a real config wrote it, with the context path it was found in.</summary>
/// <param name="Context">One of main, events, http, server, location.</param>
/// <param name="Name">Directive name.</param>
/// <param name="RawArguments">The arguments exactly as written (quotes kept).</param>
public sealed record DirectiveSample(string Context, string Name, IReadOnlyList<string> RawArguments)
{
    public string Render(string? name = null, IReadOnlyList<string>? args = null)
    {
        var a = args ?? RawArguments;
        return a.Count == 0 ? $"{name ?? Name};" : $"{name ?? Name} {string.Join(' ', a)};";
    }

    public override string ToString() => $"{Context}: {Render()}";
}
