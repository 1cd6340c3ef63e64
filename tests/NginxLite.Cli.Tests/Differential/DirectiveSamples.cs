using NginxLite.TestSupport;
using NginxLite.Cli.Tests.Corpus;
using NginxLite.Cli.Tests.Support;
using NginxLite.Config.Directives;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Cli.Tests.Differential;

/// <summary>
/// Real directive uses, harvested from the corpus files nginx accepted, grouped by the context they were written in.
/// They are the valid material the differential generator builds configs from (and then breaks on purpose).
/// </summary>
internal static class DirectiveSamples
{
    // Directives whose -t outcome depends on this machine rather than on the config: files that must exist,
    // users, DNS, directories nginx creates, log files nginx opens, shared-memory zones defined elsewhere.
    private static readonly HashSet<string> EnvironmentSensitive = new(StringComparer.Ordinal)
    {
        "include", "user", "group", "load_module", "env", "pid", "lock_file", "working_directory", "error_log", "access_log",
        "ssl", "ssl_certificate", "ssl_certificate_key", "ssl_dhparam", "ssl_password_file", "ssl_trusted_certificate",
        "ssl_client_certificate", "ssl_crl", "ssl_stapling_file", "ssl_session_ticket_key", "ssl_ecdh_curve",
        "listen", "set_real_ip_from", "resolver", "limit_req", "limit_conn", "limit_req_zone", "limit_conn_zone",
        "ssl_session_cache", "upstream", "server", "perl_modules", "perl_require", "debug_connection",
    };

    // Blocks worth lifting whole (with their children) into generated configs, by the context they appear in.
    private static readonly Dictionary<string, string[]> LiftableBlocks = new(StringComparer.Ordinal)
    {
        ["http"] = ["upstream", "map", "geo", "split_clients", "types"],
        ["server"] = ["location", "if"],
        ["location"] = ["location", "if", "limit_except"],
    };

    private static readonly Dictionary<string, List<string>> BlocksFound = new(StringComparer.Ordinal)
    {
        ["http"] = [], ["server"] = [], ["location"] = [],
    };

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<DirectiveSample>>> ByContextLazy = new(Harvest);
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> BlocksLazy = new(() =>
    {
        _ = ByContextLazy.Value;
        return BlocksFound.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    });

    public static IReadOnlyDictionary<string, IReadOnlyList<DirectiveSample>> ByContext => ByContextLazy.Value;

    /// <summary>Whole blocks (printed back with ConfigPrinter) by the context they were written in.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Blocks => BlocksLazy.Value;

    private static IReadOnlyDictionary<string, IReadOnlyList<DirectiveSample>> Harvest()
    {
        var found = new Dictionary<string, List<DirectiveSample>>(StringComparer.Ordinal)
        {
            ["main"] = [], ["events"] = [], ["http"] = [], ["server"] = [], ["location"] = [],
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in CorpusManifest.All.Where(e => e.StubVerdict == "ok"))
        {
            var file = Path.Combine(RepoPaths.NginxCorpus, entry.Path);
            var doc = ConfigLoader.Load(file, new LoadOptions(), new DiagnosticBag());
            if (doc.SyntaxError is not null)
            {
                continue;
            }

            var start = entry.Kind switch
            {
                "http-snippet" => "http",
                "server-snippet" => "server",
                "location-snippet" => "location",
                _ => "main",
            };
            Walk(doc.Directives, start, found, seen);
        }

        return found.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<DirectiveSample>)kv.Value, StringComparer.Ordinal);
    }

    // A block lifted into another config must not depend on this machine (files, DNS, users) or on definitions
    // elsewhere in its project.
    private static bool IsSelfContained(ConfigDirective block)
    {
        foreach (var d in block.Block!)
        {
            var upstreamAddress = block.Name == "upstream" && d.Name == "server" && d.Arguments.Count > 0
                && (char.IsAsciiDigit(d.Arguments[0].Value[0]) || d.Arguments[0].Value.StartsWith("unix:", StringComparison.Ordinal));
            if ((EnvironmentSensitive.Contains(d.Name) && !upstreamAddress) || d.Name.EndsWith("_pass", StringComparison.Ordinal)
                || d.Name.EndsWith("_file", StringComparison.Ordinal) || d.Name.EndsWith("_cache", StringComparison.Ordinal)
                || d.Name.EndsWith("_zone", StringComparison.Ordinal)
                || (d.Block is not null && !IsSelfContained(d)))
            {
                return false;
            }

            // Unsupported modules are listed as intentional differences, not material.
            var spec = DirectiveRegistry.Variants(d.Name).FirstOrDefault();
            if (block.Name is not ("map" or "geo" or "split_clients" or "types") && (spec is null || spec.Support == DirectiveSupport.Unsupported))
            {
                return false;
            }
        }

        return true;
    }

    private static void Walk(IReadOnlyList<ConfigDirective> directives, string context, Dictionary<string, List<DirectiveSample>> found, HashSet<string> seen)
    {
        foreach (var d in directives)
        {
            if (d.Block is { } block)
            {
                if (LiftableBlocks.TryGetValue(context, out var liftable) && liftable.Contains(d.Name) && IsSelfContained(d))
                {
                    var text = ConfigPrinter.Print([d]).TrimEnd();
                    if (seen.Add(context + "\n" + text))
                    {
                        BlocksFound[context].Add(text);
                    }
                }

                var inner = (context, d.Name) switch
                {
                    ("main", "events") => "events",
                    ("main", "http") => "http",
                    ("http", "server") => "server",
                    ("server" or "location", "location") => "location",
                    _ => null,
                };
                if (inner is not null)
                {
                    Walk(block, inner, found, seen);
                }

                continue;
            }

            if (EnvironmentSensitive.Contains(d.Name) || d.Name.EndsWith("_pass", StringComparison.Ordinal)
                || d.Name.EndsWith("_path", StringComparison.Ordinal) || d.Name.EndsWith("_cache", StringComparison.Ordinal)
                || d.Name.EndsWith("_zone", StringComparison.Ordinal) || d.Name.EndsWith("_file", StringComparison.Ordinal)
                || d.Name.StartsWith("geoip", StringComparison.Ordinal) || d.Name.StartsWith("perl", StringComparison.Ordinal)
                || d.Name.StartsWith("ssl_stapling", StringComparison.Ordinal))
            {
                continue;
            }

            // Only directives both nginx and NginxLite implement the same way are fair material.
            var spec = DirectiveRegistry.Variants(d.Name).FirstOrDefault();
            if (spec is null || spec.Support == DirectiveSupport.Unsupported || spec.Module.StartsWith("nginxlite", StringComparison.Ordinal))
            {
                continue;
            }

            var sample = new DirectiveSample(context, d.Name, [.. d.Arguments.Select(a => a.Raw)]);
            if (seen.Add(sample.ToString()))
            {
                found[context].Add(sample);
            }
        }
    }
}
