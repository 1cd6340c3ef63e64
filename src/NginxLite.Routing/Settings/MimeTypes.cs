namespace NginxLite.Routing.Settings;

/// <summary>A <c>types {}</c> table: file extension (lower case, no dot) → MIME type.</summary>
public sealed class MimeTypes
{
    /// <summary>nginx's built-in table when no <c>types</c> block is given (ngx_http_core_default_types).</summary>
    public static readonly MimeTypes Default = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["html"] = "text/html",
        ["gif"] = "image/gif",
        ["jpg"] = "image/jpeg",
    });

    private readonly Dictionary<string, string> _byExtension;

    public MimeTypes(Dictionary<string, string> byExtension) => _byExtension = byExtension;

    public int Count => _byExtension.Count;

    /// <summary>The type for the extension of <paramref name="path"/> (the text after the last '.' of the last segment).</summary>
    public string? Lookup(ReadOnlySpan<char> path)
    {
        var slash = path.LastIndexOf('/');
        var name = path[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        var lookup = _byExtension.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(name[(dot + 1)..], out var type) ? type : null;
    }
}
