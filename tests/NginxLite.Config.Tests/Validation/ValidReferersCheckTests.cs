using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using Xunit;

namespace NginxLite.Config.Tests.Validation;

public sealed class ValidReferersCheckTests
{
    private static ConfigTestResult Run(string text) =>
        ConfigTest.RunText(text, "/tmp/vr.conf", new LoadOptions(), new BindOptions { CheckEnvironment = false });

    [Fact]
    public void ValidReferers_SameHostTwiceInOneBlock_ConflictingParameterAtSecondLine()
    {
        var r = Run("""
            events {}
            http {
                server {
                    valid_referers none foo.com;
                    valid_referers server_names foo.com;
                }
            }
            """);

        Assert.Equal("[emerg] conflicting parameter \"foo.com\" in /tmp/vr.conf:5", r.FirstError?.ToString());
    }

    [Fact]
    public void ValidReferers_SameHostInDifferentBlocksAndKeywordsRepeated_Ok()
    {
        var r = Run("""
            events {}
            http {
                server {
                    valid_referers none blocked foo.com ~\.bar\.;
                    location / { valid_referers none blocked foo.com ~\.bar\. ~\.bar\.; }
                }
            }
            """);

        Assert.True(r.Ok, string.Join("\n", r.Diagnostics));
    }
}
