using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

public sealed class DuplicateUpstreamCheckTests
{
    [Fact]
    public void Upstream_SameNameOtherCase_DuplicateAtSecondBlockBraceLine()
    {
        const string text = "events {}\nhttp {\n upstream Big { server 127.0.0.1:1; }\n upstream big\n { server 127.0.0.1:2; }\n}\n";

        var r = ConfigTest.RunText(text, "/tmp/u.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

        Assert.Equal("[emerg] duplicate upstream \"big\" in /tmp/u.conf:5", r.FirstError?.ToString());
    }

    [Fact]
    public void Upstream_DistinctNames_Ok()
    {
        const string text = "events {}\nhttp {\n upstream a { server 127.0.0.1:1; }\n upstream b { server 127.0.0.1:2; }\n}\n";

        var r = ConfigTest.RunText(text, "/tmp/u.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }
}
