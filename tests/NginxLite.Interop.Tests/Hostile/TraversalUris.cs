namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Path traversal request targets, generated combinatorially: every encoding of <c>..</c> (plain, %2e in either case,
/// half-encoded, double-encoded %252e, overlong UTF-8 %c0%ae and %e0%80%ae, with NUL or trailing dots/spaces) times
/// every separator (/, %2f, backslash and %5c, %252f, overlong %c0%af, //, /./) times every starting point (root,
/// sub-directories, the alias location, a symlinked directory), each aimed at the secret both by the exact climb and by
/// an over-deep climb to its absolute path; then suffixes (NUL, trailing dot, space, ;, query, fragment) on a subset.
/// </summary>
public static class TraversalUris
{
    public static readonly string[] DotDots =
        ["..", "%2e%2e", "%2E%2e", "%2e.", ".%2E", "%252e%252e", "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "..%00", "...", "..%20", "..."];

    public static readonly string[] Separators =
        ["/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f", "%c0%af", "//", "/./", "%2f.%2f"];

    /// <summary>Starting points and how many levels each is below the site directory (after alias/symlink mapping).</summary>
    public static readonly (string Prefix, int Depth)[] Starts =
        [("/", 1), ("/sub/", 2), ("/sub/deeper/", 3), ("/i/", 2), ("/i/sub/", 3), ("/link-dir/", 1)];

    public static readonly string[] Suffixes = ["%00", "%00.html", ".", "..", "%20", ";.txt", "?a=b", "#frag", "%23", "/"];

    public static IEnumerable<string> All(string siteRoot)
    {
        var absolute = siteRoot.Trim('/');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uri in Generate(absolute))
        {
            if (seen.Add(uri))
            {
                yield return uri;
            }
        }
    }

    private static IEnumerable<string> Generate(string absolute)
    {
        foreach (var dd in DotDots)
        {
            foreach (var sep in Separators)
            {
                foreach (var (prefix, depth) in Starts)
                {
                    foreach (var target in HostileSite.SecretFiles)
                    {
                        yield return prefix + Climb(dd, sep, depth) + target.Replace("/", sep, StringComparison.Ordinal);
                    }

                    yield return prefix + Climb(dd, sep, 10) + (absolute + "/secret/secret.txt").Replace("/", sep, StringComparison.Ordinal);
                    yield return prefix + Climb(dd, sep, depth) + "secret/secret.txt";
                }
            }
        }

        foreach (var dd in new[] { "..", "%2e%2e", "%2E%2E" })
        {
            foreach (var sep in new[] { "/", "%2f", "\\" })
            {
                foreach (var (prefix, depth) in Starts)
                {
                    foreach (var suffix in Suffixes)
                    {
                        yield return prefix + Climb(dd, sep, depth) + "secret/secret.txt" + suffix;
                        yield return prefix + Climb(dd, sep, depth) + "secret" + suffix + "/secret.txt";
                    }
                }
            }
        }

        // Trailing dots and a climb hidden behind a real directory name.
        yield return "/secret.txt.";
        yield return "/i/../../secret.txt";
        yield return "/i/..%2f..%2fsecret.txt";
        yield return "/i..%2fsecret.txt";
        yield return "/sub/..%2f..%2f..%2f" + absolute + "/secret.txt";
        yield return "/sub/../../secret.txt";
        yield return "/./../secret.txt";
        yield return "//../secret.txt";
        yield return "/%2e/%2e%2e/secret.txt";
    }

    private static string Climb(string dotDot, string separator, int depth) =>
        string.Concat(Enumerable.Repeat(dotDot + separator, depth));

    /// <summary>Request targets that are not origin-form paths at all.</summary>
    public static IEnumerable<string> OddTargets(string siteRoot) =>
    [
        "../secret.txt",
        "..%2fsecret.txt",
        "http://localhost/../secret.txt",
        "http://localhost/%2e%2e/secret.txt",
        "http://localhost" + siteRoot + "/secret.txt",
        "*",
        siteRoot + "/secret.txt",
        siteRoot.Trim('/') + "/secret.txt",
    ];
}
