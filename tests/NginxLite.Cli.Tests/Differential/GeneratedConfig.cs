namespace NginxLite.Cli.Tests.Differential;

/// <summary>A generated config and how it was broken (for the failure message).</summary>
public sealed record GeneratedConfig(string Text, string Mutation)
{
    public override string ToString() => $"mutation: {Mutation}\n{Text}";
}
