using NginxLite.Routing.Rewrite;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Locations;

/// <summary>The match types of <c>location</c>.</summary>
public enum LocationMatchKind
{
    Prefix,
    PrefixNoRegex,
    Exact,
    Regex,
    Named,
}

/// <summary>One compiled <c>location</c>: how it matches, its merged settings, its rewrite program, its nested locations.</summary>
public sealed class Location
{
    internal Location(LocationMatchKind kind, string name, CompiledRegex? regex, LocationSettings settings)
    {
        Kind = kind;
        Name = name;
        Regex = regex;
        Settings = settings;
    }

    public LocationMatchKind Kind { get; }

    /// <summary>The prefix, the exact URI, the pattern, or <c>@name</c>.</summary>
    public string Name { get; }

    public CompiledRegex? Regex { get; }

    public LocationSettings Settings { get; internal set; }

    public RewriteProgram Program { get; internal set; } = RewriteProgram.Empty;

    /// <summary><c>internal</c>: only internal redirects may reach it; a client gets 404.</summary>
    public bool Internal { get; internal set; }

    public LocationMatcher? Nested { get; internal set; }

    /// <summary>A prefix location ending in '/' that passes to an upstream: a request for the name without the slash gets 301.</summary>
    public bool AutoRedirect => Settings.Upstream is not null && Kind is not LocationMatchKind.Regex and not LocationMatchKind.Named
        && Name.EndsWith('/');

    public override string ToString() => Kind switch
    {
        LocationMatchKind.Exact => "= " + Name,
        LocationMatchKind.PrefixNoRegex => "^~ " + Name,
        LocationMatchKind.Regex => "~ " + Name,
        _ => Name,
    };
}
