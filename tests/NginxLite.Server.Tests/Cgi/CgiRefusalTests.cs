using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary>The suEXEC rules, one test each: the status and the error-log line that names the rule.</summary>
public class CgiRefusalTests
{
    private static readonly string Location = $"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; }}";

    private const string Hello = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho hello";

    [Fact]
    public async Task Baseline_RootOwned0755_Runs()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/ok.cgi", Hello);
        var r = await s.SendAsync("/cgi-bin/ok.cgi");
        Assert.True(r.Status == 200, s.ReadLog("error.log"));
        Assert.Equal("hello\n", r.Text());
    }

    [Fact]
    public async Task SymlinkOutsideDocumentRoot_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var outside = CgiFixture.Script(s, "outside.cgi", Hello);
        File.Move(outside, Path.Combine(s.Prefix, "outside.cgi"));
        Directory.CreateDirectory(Path.Combine(s.Prefix, "html/cgi-bin"));
        File.CreateSymbolicLink(Path.Combine(s.Prefix, "html/cgi-bin/link.cgi"), Path.Combine(s.Prefix, "outside.cgi"));
        var r = await s.SendAsync("/cgi-bin/link.cgi");
        Assert.Equal(403, r.Status);
        Assert.Contains("outside the document root", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task SymlinkInsideDocumentRoot_Runs()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var target = CgiFixture.Script(s, "cgi-bin/real.cgi", Hello);
        File.CreateSymbolicLink(Path.Combine(s.Prefix, "html/cgi-bin/alias.cgi"), target);
        Assert.Equal(200, (await s.SendAsync("/cgi-bin/alias.cgi")).Status);
    }

    [Fact]
    public async Task OtherWritable_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/w.cgi", Hello, (UnixFileMode)0b111_101_111);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/w.cgi")).Status);
        Assert.Contains("is writable by others", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task GroupWritable_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/g.cgi", Hello, (UnixFileMode)0b111_111_101);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/g.cgi")).Status);
        Assert.Contains("is writable by group", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task WritableDirectory_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/d.cgi", Hello);
        File.SetUnixFileMode(Path.Combine(s.Prefix, "html/cgi-bin"), (UnixFileMode)0b111_111_111);
        RawResponse r;
        try
        {
            r = await s.SendAsync("/cgi-bin/d.cgi");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(s.ReadLog("error.log"), e);
        }

        Assert.Equal(403, r.Status);
        Assert.Contains("cgi-bin\" is writable by others", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task OwnedByAnotherUser_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        var path = CgiFixture.Script(s, "cgi-bin/o.cgi", Hello);
        TestUsers.Run("chown", TestUsers.Other, path);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/o.cgi")).Status);
        Assert.Contains($"not by \"{TestUsers.Cgi}\"", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task OwnedByTargetUser_Runs()
    {
        await using var s = await CgiFixture.StartAsync(Location + " location /own/ { cgi on; cgi_user " + TestUsers.Cgi + "; cgi_allow_root_owned off; }");
        var path = CgiFixture.Script(s, "own/mine.cgi", Hello);
        TestUsers.Run("chown", TestUsers.Cgi, path);
        Assert.Equal(200, (await s.SendAsync("/own/mine.cgi")).Status);
    }

    [Fact]
    public async Task RootOwned_WithAllowRootOwnedOff_Is403()
    {
        await using var s = await CgiFixture.StartAsync($"location /cgi-bin/ {{ cgi on; cgi_user {TestUsers.Cgi}; cgi_allow_root_owned off; }}");
        CgiFixture.Script(s, "cgi-bin/r.cgi", Hello);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/r.cgi")).Status);
        Assert.Contains("is owned by uid 0, not by", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task NotExecutable_Is403()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/x.cgi", Hello, (UnixFileMode)0b110_100_100);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/x.cgi")).Status);
        Assert.Contains("is not executable by", s.ReadLog("error.log"));
    }

    [Fact]
    public async Task Directory_Is403_Missing_Is404()
    {
        await using var s = await CgiFixture.StartAsync(Location);
        CgiFixture.Script(s, "cgi-bin/sub/x.cgi", Hello);
        Assert.Equal(403, (await s.SendAsync("/cgi-bin/sub/")).Status);
        Assert.Equal(404, (await s.SendAsync("/cgi-bin/nothing.cgi/more")).Status);
    }
}
