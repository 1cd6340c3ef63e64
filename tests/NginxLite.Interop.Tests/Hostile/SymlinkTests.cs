using Xunit;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// Symlinks inside the root that point out of it. nginx follows them unless <c>disable_symlinks</c> says otherwise
/// (ngx_http_core_module: "disable_symlinks off; — symbolic links in the pathname are allowed and not checked; this is
/// the default behavior"); with <c>disable_symlinks on</c> a symlink in any component is a 403
/// ("access to a file is denied if any component of the pathname is a symbolic link").
/// </summary>
public sealed class SymlinkTests(HostilePair pair) : IClassFixture<HostilePair>
{
    [Theory]
    [InlineData("/link-file.txt")]
    [InlineData("/link-dir/linked.txt")]
    [InlineData("/i/link-file.txt")]
    public void Symlink_OutOfRootByDefault_IsFollowedLikeNginx(string uri)
    {
        var nginx = PathTraversalTests.Get(pair.Nginx.Port, uri);
        var lite = PathTraversalTests.Get(pair.NginxLite.Port, uri);
        Assert.True(nginx.Status == 200 && nginx.Contains(pair.Site.Linked), "nginx: " + nginx.Describe());
        Assert.True(lite.Status == 200 && lite.Contains(pair.Site.Linked), "nginxlite: " + lite.Describe());
    }

    [Fact]
    public void Symlink_UnderDisableSymlinksOn_Is403LikeNginx()
    {
        var nginx = PathTraversalTests.Get(pair.Nginx.Port, "/nolinks/link-file.txt");
        var lite = PathTraversalTests.Get(pair.NginxLite.Port, "/nolinks/link-file.txt");
        Assert.True(nginx.Status == 403, "nginx: " + nginx.Describe());
        Assert.True(lite.Status == 403 && !lite.Contains(pair.Site.Linked), "nginxlite: " + lite.Describe());
    }

    [Fact]
    public void Symlink_UnderDisableSymlinksOn_RealFilesAreStillServed()
    {
        var lite = PathTraversalTests.Get(pair.NginxLite.Port, "/nolinks/real.txt");
        Assert.True(lite.Status == 200 && lite.Contains("real file under nolinks"), "nginxlite: " + lite.Describe());
    }
}
