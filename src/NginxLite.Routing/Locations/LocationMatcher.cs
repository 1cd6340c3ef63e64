using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Locations;

/// <summary>How a location was found.</summary>
public enum LocationMatchResult
{
    /// <summary>No location matched (the server level's settings apply).</summary>
    None,

    /// <summary>An exact or regex location (nginx's NGX_OK).</summary>
    Matched,

    /// <summary>Only a prefix location (nginx's NGX_AGAIN).</summary>
    Prefix,

    /// <summary>The URI plus '/' is an upstream prefix location: answer 301 (nginx's NGX_DONE).</summary>
    AutoRedirect,
}

/// <summary>
/// nginx's location search for one level (ngx_http_core_find_location): exact match wins; else the longest prefix,
/// whose nested locations are searched next; unless that prefix is <c>^~</c>, this level's regexes are tried in file
/// order; else the prefix stays.
/// </summary>
public sealed class LocationMatcher
{
    private readonly PrefixTrie _static;
    private readonly Location[] _regexes;

    public LocationMatcher(IReadOnlyList<Location> locations)
    {
        Locations = locations;
        _static = PrefixTrie.Build(locations.Where(l => l.Kind is LocationMatchKind.Exact or LocationMatchKind.Prefix or LocationMatchKind.PrefixNoRegex));
        _regexes = [.. locations.Where(l => l.Kind == LocationMatchKind.Regex)];
    }

    public IReadOnlyList<Location> Locations { get; }

    /// <summary>Finds the location for <paramref name="uri"/>; regex captures go to <paramref name="state"/>.</summary>
    public LocationMatchResult Find(string uri, IRequestState state, out Location? location)
    {
        location = _static.Find(uri, out var exact, out var autoRedirect);
        if (autoRedirect)
        {
            return LocationMatchResult.AutoRedirect;
        }

        if (exact)
        {
            return LocationMatchResult.Matched;
        }

        var result = location is null ? LocationMatchResult.None : LocationMatchResult.Prefix;
        var noRegex = location?.Kind == LocationMatchKind.PrefixNoRegex;
        if (location?.Nested is { } nested)
        {
            var inner = nested.Find(uri, state, out var innerLocation);
            if (inner is LocationMatchResult.Matched or LocationMatchResult.AutoRedirect)
            {
                location = innerLocation;
                return inner;
            }

            if (inner == LocationMatchResult.Prefix)
            {
                location = innerLocation;
            }
        }

        if (!noRegex)
        {
            foreach (var regex in _regexes)
            {
                if (regex.Regex!.Match(uri, state))
                {
                    location = regex;
                    if (regex.Nested is { } regexNested
                        && regexNested.Find(uri, state, out var innerLocation) is LocationMatchResult.Matched)
                    {
                        location = innerLocation;
                    }

                    return LocationMatchResult.Matched;
                }
            }
        }

        return result;
    }
}
