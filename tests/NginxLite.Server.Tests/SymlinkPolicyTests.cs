using NginxLite.Routing.Settings;
using NginxLite.Server.Http;
using NginxLite.TestSupport;

namespace NginxLite.Server.Tests;

/// <summary>disable_symlinks (ngx_http_core_module) over a real tree: a file, a symlink to it, a symlinked directory.</summary>
public sealed class SymlinkPolicyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public SymlinkPolicyTests()
    {
        _dir.File("real/file.txt", "x");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "real", "link.txt"), Path.Combine(_dir.Path, "real", "file.txt"));
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "linkdir"), Path.Combine(_dir.Path, "real"));
    }

    private string P(string relative) => Path.Combine(_dir.Path, relative);

    [Fact]
    public void Allows_Off_AllowsSymlinks() => Assert.True(SymlinkPolicy.Allows(P("real/link.txt"), SymlinkCheck.Off, null));

    [Theory]
    [InlineData("real/file.txt", true)]
    [InlineData("real/link.txt", false)]
    [InlineData("linkdir/file.txt", false)]
    [InlineData("real/missing.txt", true)] // the open fails with its own 404
    public void Allows_On_DeniesAnySymlinkComponent(string path, bool allowed) =>
        Assert.Equal(allowed, SymlinkPolicy.Allows(P(path), SymlinkCheck.On, null));

    [Fact]
    public void Allows_IfNotOwner_AllowsALinkOwnedLikeItsTarget() =>
        Assert.True(SymlinkPolicy.Allows(P("real/link.txt"), SymlinkCheck.IfNotOwner, null)); // both created by this test's user

    [Fact]
    public void Allows_FromPart_SkipsTheComponentsItCovers()
    {
        Assert.True(SymlinkPolicy.Allows(P("linkdir/file.txt"), SymlinkCheck.On, P("linkdir")));
        Assert.False(SymlinkPolicy.Allows(P("linkdir/file.txt"), SymlinkCheck.On, P("real")));
        Assert.True(SymlinkPolicy.Allows(P("real/link.txt"), SymlinkCheck.On, P("real/link.txt")));
    }

    public void Dispose() => _dir.Dispose();
}
