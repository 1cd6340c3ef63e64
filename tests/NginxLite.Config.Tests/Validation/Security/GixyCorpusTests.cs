using System.Text.Json;
using NginxLite.Config.Tests.TestSupport;
using NginxLite.Config.Validation.Security;

namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>
/// gixy's own plugin test cases (../shared/corpus/nginx/gixy/tests/plugins/simply/PLUGIN/*.conf), each through the
/// lint check that does that plugin's job. gixy's convention (tests/plugins/test_simply.py): a file named
/// <c>*_fp.conf</c> is a false-positive case that must give no finding; every other file must give one.
/// A <c># Options: {json}</c> first line sets the plugin's options. Snippets are wrapped as the corpus MANIFEST.tsv
/// says they were checked (http-, server- or location-snippet; "full" as is).
/// add_header_multiline has no NginxLite check (a multi-line header value is an nginx config error already).
/// </summary>
public sealed class GixyCorpusTests
{
    /// <summary>gixy plugin folder → NginxLite check id.</summary>
    public static readonly Dictionary<string, string> PluginToCheck = new(StringComparer.Ordinal)
    {
        ["add_header_redefinition"] = "add-header-redefinition",
        ["alias_traversal"] = "alias-traversal",
        ["host_spoofing"] = "host-spoofing",
        ["http_splitting"] = "http-splitting",
        ["origins"] = "origins",
        ["ssrf"] = "ssrf",
        ["valid_referers"] = "valid-referers-none",
    };

    private const string Simply = "gixy/tests/plugins/simply";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in Manifest())
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void Corpus_MappedPlugins_HavePositiveAndNegativeCases()
    {
        var cases = Manifest().Keys.ToList();

        Assert.True(cases.Count >= 60, $"only {cases.Count} gixy cases");
        foreach (var plugin in PluginToCheck.Keys)
        {
            Assert.Contains(cases, c => c.Contains($"/{plugin}/", StringComparison.Ordinal) && !c.EndsWith("_fp.conf", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lint_GixyCase_SameVerdictAsGixy(string path)
    {
        var plugin = path.Split('/')[^2];
        var check = PluginToCheck[plugin];
        var expected = !path.EndsWith("_fp.conf", StringComparison.Ordinal);
        var file = Corpus.Path("nginx/" + path);

        var kind = Manifest()[path];
        var findings = kind == "full" ? Lint.File(file, Options(file)) : Lint.Text(Wrap(file, kind), Options(file));
        var actual = findings.Where(f => f.Check == check).ToList();

        Assert.True(expected == (actual.Count > 0),
            $"{path}: gixy says {(expected ? "finding" : "none")}, we say:\n{string.Join('\n', findings.Select(f => f.Text))}");
        Assert.All(actual, f => Assert.Equal(file, f.Position.File));
    }

    /// <summary>A snippet as nginx checked it: included at its level.</summary>
    public static string Wrap(string file, string kind) =>
        kind switch
        {
            "server-snippet" => $"events {{}}\nhttp {{\nserver {{\ninclude {file};\n}}\n}}\n",
            "location-snippet" => $"events {{}}\nhttp {{\nserver {{\nlocation / {{\ninclude {file};\n}}\n}}\n}}\n",
            _ => $"events {{}}\nhttp {{\ninclude {file};\n}}\n",
        };

    /// <summary>gixy's per-case plugin options (origins: domains, https_only).</summary>
    public static SecurityLintOptions Options(string file)
    {
        var first = File.ReadLines(file).FirstOrDefault() ?? "";
        const string Marker = "# Options:";
        if (!first.StartsWith(Marker, StringComparison.Ordinal))
        {
            return SecurityLintOptions.Default;
        }

        using var json = JsonDocument.Parse(first[Marker.Length..]);
        var root = json.RootElement;
        return new SecurityLintOptions
        {
            OriginDomains = root.TryGetProperty("domains", out var d) ? [.. d.EnumerateArray().Select(e => e.GetString()!)] : [],
            OriginHttpsOnly = root.TryGetProperty("https_only", out var h) && h.GetBoolean(),
        };
    }

    /// <summary>MANIFEST.tsv rows of the mapped gixy plugins: path → kind (the "(by-trial)" note dropped).</summary>
    public static Dictionary<string, string> Manifest()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Corpus.Path("nginx/MANIFEST.tsv")).Skip(1))
        {
            var cols = line.Split('\t');
            if (cols[0].StartsWith(Simply + "/", StringComparison.Ordinal) && PluginToCheck.ContainsKey(cols[0].Split('/')[^2]))
            {
                var kind = cols[1];
                rows[cols[0]] = kind.Contains('(', StringComparison.Ordinal) ? kind[..kind.IndexOf('(', StringComparison.Ordinal)] : kind;
            }
        }

        return rows;
    }
}
