using NginxLite.Server.Http;

namespace NginxLite.Server.Tests;

/// <summary>The allocation-free fast path of <see cref="UriNormalizer"/> (a path already normal is returned as is)
/// must agree with the full normalization on every input.</summary>
public class UriNormalizerFastPathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/hello")]
    [InlineData("/docs/")]
    [InlineData("/docs/guide/page.html")]
    [InlineData("/a-b_c~d!$&'()*+,;=:@")]
    [InlineData("/.hidden")]
    [InlineData("/a/./b")]
    [InlineData("/a/../b")]
    [InlineData("/a/..")]
    [InlineData("/a//b")]
    [InlineData("//")]
    [InlineData("/a%20b")]
    [InlineData("/a#frag")]
    [InlineData("/ünï")]
    [InlineData("/a.b/c..d/e.")]
    [InlineData("/a\\b")]
    [InlineData("/..")]
    public void StringOverload_AgreesWithTheFullNormalization(string path)
    {
        foreach (var merge in new[] { true, false })
        {
            var fast = UriNormalizer.TryNormalize(path, merge, out var a);
            var full = UriNormalizer.TryNormalize(path.AsSpan(), merge, out var b);
            Assert.Equal(full, fast);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void NormalPath_IsReturnedWithoutACopy()
    {
        var path = "/docs/guide/page.html";
        Assert.True(UriNormalizer.TryNormalize(path, true, out var uri));
        Assert.Same(path, uri);
    }
}
