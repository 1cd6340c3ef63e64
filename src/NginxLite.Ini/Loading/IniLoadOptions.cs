using NginxLite.Ini.Expansion;

namespace NginxLite.Ini.Loading;

/// <summary>The world an ini is read in: environment, working directory, host facts for magic variables.</summary>
public sealed record IniLoadOptions
{
    /// <summary>Environment for <c>$(NAME)</c> and <c>if-env</c>; null means the process environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Host facts for <c>%h %k %u %U %g %G %v</c>; null means this machine's.</summary>
    public HostFacts? Host { get; init; }

    /// <summary>Includes nested deeper than this are an error (uWSGI has no limit and loops forever on a cycle).</summary>
    public int MaxIncludeDepth { get; init; } = 32;
}
