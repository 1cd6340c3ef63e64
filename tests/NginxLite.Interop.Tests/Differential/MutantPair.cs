using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// nginx against an nginx whose config was changed in small, known ways: the differential must report exactly
/// those rows (proving it looks at status, Location, Content-Type, add_header headers and the body).
/// </summary>
public sealed class MutantPair() : ServerPair(ServerFlavor.Nginx, (site, port) => Mutate(site.Config(port)))
{
    public static readonly (string From, string To)[] Mutations =
    [
        ("return 200 \"hello\";", "return 200 \"hellO\";"),                 // body (and nothing else)
        ("return 301 /new.html;", "return 301 /newer.html;"),               // Location
        ("return 418;", "return 419;"),                                     // status
        ("add_header X-Loc static;", "add_header X-Loc statik;"),           // add_header value
        ("types { }\n            default_type application/octet-stream;", "types { }\n            default_type text/plain;"), // Content-Type
        ("rewrite ^/moved/(.*)$ /docs/$1 permanent;", "rewrite ^/moved/(.*)$ /docs/$1 redirect;"), // 301 -> 302
    ];

    private static string Mutate(string config)
    {
        foreach (var (from, to) in Mutations)
        {
            if (!config.Contains(from, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"mutation target not in the site config: {from}");
            }

            config = config.Replace(from, to, StringComparison.Ordinal);
        }

        return config;
    }
}
