using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using NginxLite.Routing.Compilation;
using NginxLite.Routing.Locations;
using NginxLite.Routing.Variables;

BenchmarkSwitcher.FromAssembly(typeof(LocationLookupBenchmarks).Assembly).Run(args);

/// <summary>
/// nginx's location search on one server with N prefix locations (<c>/sN/aN/</c>, plus a few <c>=</c>, <c>^~</c> and
/// 4 regex locations), compiled from config text as the server does. Each lookup: the longest-prefix search in the
/// trie, then the regexes in file order (the prefix stays when none matches).
/// </summary>
[MemoryDiagnoser]
public class LocationLookupBenchmarks
{
    private LocationMatcher _matcher = null!;
    private readonly BenchState _state = new();
    private string _deep = "";

    [Params(10, 1_000, 10_000)]
    public int Locations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new StringBuilder("events {}\nhttp {\n  server {\n    listen 127.0.0.1:8080;\n");
        for (var i = 0; i < Locations; i++)
        {
            config.Append("    location /s").Append(i).Append("/a").Append(i).Append("/ { return 200; }\n");
        }

        config.Append("    location = /exact { return 200; }\n");
        config.Append("    location ^~ /static/ { return 200; }\n");
        config.Append("    location ~ \\.php$ { return 200; }\n");
        config.Append("    location ~* \\.(jpg|png|gif)$ { return 200; }\n");
        config.Append("    location ~ ^/api/v(\\d+)/ { return 200; }\n");
        config.Append("    location ~ /wp-admin { return 200; }\n");
        config.Append("  }\n}\n");
        _deep = $"/s{(Locations - 1) / 2}/a{(Locations - 1) / 2}/some/file.html";
        var load = RouteTableLoader.LoadText(config.ToString(), Path.GetTempPath());
        var table = load.Table ?? throw new InvalidOperationException(string.Join('\n', load.Test.Diagnostics));
        _matcher = table.Listeners[0].Servers.Default.Locations;
        if (_matcher.Locations.Count != Locations + 6)
        {
            throw new InvalidOperationException($"{_matcher.Locations.Count} locations compiled, expected {Locations + 6}");
        }
    }

    /// <summary>A deep prefix hit that then tries every regex (nginx's common case: no regex matches).</summary>
    [Benchmark(Baseline = true)]
    public Location? PrefixThenRegexes() => Find(_deep);

    /// <summary>An exact location: no regex is tried.</summary>
    [Benchmark]
    public Location? Exact() => Find("/exact");

    /// <summary>A <c>^~</c> prefix: regexes skipped.</summary>
    [Benchmark]
    public Location? PrefixNoRegex() => Find("/static/css/site.css");

    /// <summary>No prefix matches, a regex does (with a capture).</summary>
    [Benchmark]
    public Location? Regex() => Find("/api/v2/users");

    /// <summary>Nothing matches at all.</summary>
    [Benchmark]
    public Location? Miss() => Find("/nothing/here");

    private Location? Find(string uri)
    {
        _matcher.Find(uri, _state, out var location);
        return location;
    }

    private sealed class BenchState : IRequestState
    {
        public string? GetVariable(VariableRef variable) => null;

        public string Uri { get; set; } = "/";

        public string Args { get; set; } = "";

        public Match? Captures { get; set; }

        public string?[] UserVariables { get; } = new string?[8];
    }
}
