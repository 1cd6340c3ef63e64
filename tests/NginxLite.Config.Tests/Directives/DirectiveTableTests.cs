using NginxLite.Config.Directives;
using NginxLite.Config.Tests.TestSupport;

namespace NginxLite.Config.Tests.Directives;

public class DirectiveTableTests
{
    private static readonly Dictionary<string, DirectiveContext> Contexts = new()
    {
        ["main"] = DirectiveContext.Main, ["direct"] = DirectiveContext.Main, ["events"] = DirectiveContext.Events,
        ["http"] = DirectiveContext.Http, ["http>server"] = DirectiveContext.Server, ["http>location"] = DirectiveContext.Location,
        ["http>server>if"] = DirectiveContext.ServerIf, ["http>location>if"] = DirectiveContext.LocationIf,
        ["http>location>limit_except"] = DirectiveContext.LimitExcept, ["http>upstream"] = DirectiveContext.Upstream,
        ["mail"] = DirectiveContext.Mail, ["mail>server"] = DirectiveContext.MailServer, ["stream"] = DirectiveContext.Stream,
        ["stream>server"] = DirectiveContext.StreamServer, ["stream>upstream"] = DirectiveContext.StreamUpstream,
    };

    private static readonly Dictionary<string, ArgumentRule> Rules = new()
    {
        ["0"] = ArgumentRule.NoArgs, ["1"] = ArgumentRule.Take1, ["2"] = ArgumentRule.Take2, ["3"] = ArgumentRule.Take3,
        ["0 or 1"] = ArgumentRule.Take01, ["0 or 1 or 2"] = ArgumentRule.Take012, ["1 or 2"] = ArgumentRule.Take12,
        ["1 or 2 or 3"] = ArgumentRule.Take123, ["1 or 2 or 3 or 4"] = ArgumentRule.Take1234, ["2 or 3"] = ArgumentRule.Take23,
        [">=1"] = ArgumentRule.OneOrMore, [">=2"] = ArgumentRule.TwoOrMore, ["on|off"] = ArgumentRule.Flag,
    };

    public static IEnumerable<(string Name, DirectiveContext Contexts, ArgumentRule Rule)> Oss124Rows()
    {
        foreach (var line in File.ReadLines(Corpus.Path("directives/nginx-directives.tsv")))
        {
            var f = line.Split('\t');
            if (f[0] != "oss_124")
            {
                continue;
            }

            var contexts = f[3].Split(',').Aggregate(DirectiveContext.None, (a, c) => a | Contexts[c]);
            var parts = f[4].Replace(" ;", "", StringComparison.Ordinal).Split(" +");
            var rule = Rules[parts[0].Trim()];
            rule |= parts.Contains("block") ? ArgumentRule.Block : 0;
            rule |= parts.Contains("(expr)") ? ArgumentRule.Expression : 0;
            yield return (f[1], contexts, rule);
        }
    }

    [Fact]
    public void Registry_EveryOss124Variant_IsPresentWithItsContextsAndRule()
    {
        var missing = Oss124Rows()
            .Where(row => !DirectiveRegistry.Variants(row.Name).Any(s => s.Contexts == row.Contexts && s.Arguments == row.Rule))
            .Select(row => $"{row.Name} {row.Contexts} {row.Rule}")
            .ToList();
        Assert.Empty(missing);
        Assert.Equal(687, DirectiveRegistry.All.Count(s => s.Module != NginxLiteDirectives.Module));
    }

    [Fact]
    public void Registry_IgnoredAndUnsupportedRows_HaveANote()
    {
        Assert.Empty(DirectiveRegistry.All.Where(s => s.Support != DirectiveSupport.Supported && string.IsNullOrWhiteSpace(s.Note)));
    }

    [Fact]
    public void Registry_Variants_DoNotOverlapInContext()
    {
        var overlaps = DirectiveRegistry.ByName.Values
            .Where(v => v.SelectMany((a, i) => v.Skip(i + 1).Where(b => (a.Contexts & b.Contexts) != 0)).Any())
            .Select(v => v[0].Name);
        Assert.Empty(overlaps);
    }

    [Fact]
    public void Registry_BlockDirectives_NameTheirChildContext()
    {
        Assert.Empty(DirectiveRegistry.All.Where(s => s.Arguments.HasFlag(ArgumentRule.Block) && s.BlockContext == DirectiveContext.None));
    }

    [Theory]
    [InlineData("listen", true)]
    [InlineData("add_header", true)]
    [InlineData("proxy_set_header", true)]
    [InlineData("fastcgi_param", true)]
    [InlineData("return", true)]
    [InlineData("rewrite", true)]
    [InlineData("error_page", true)]
    [InlineData("try_files", false)]
    [InlineData("root", false)]
    [InlineData("expires", false)]
    [InlineData("user", false)]
    [InlineData("client_max_body_size", false)]
    public void Registry_Multiple_MatchesNginx(string name, bool multiple)
    {
        Assert.All(DirectiveRegistry.Variants(name), s => Assert.Equal(multiple, s.Multiple));
    }

    [Fact]
    public void Registry_AppBlock_OpensAppContext()
    {
        var app = DirectiveRegistry.Find("app", DirectiveContext.Http)!;
        Assert.Equal(DirectiveContext.App, app.BlockContext);
        Assert.NotNull(DirectiveRegistry.Find("harakiri", DirectiveContext.App));
        Assert.Equal("nginxlite", DirectiveRegistry.Find("user", DirectiveContext.App)!.Module);
        Assert.Equal("ngx_core_module", DirectiveRegistry.Find("user", DirectiveContext.Main)!.Module);
    }
}
