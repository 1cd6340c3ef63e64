using System.Net.Sockets;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Hosting;
using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary><c>listen unix:</c> socket files: mode and owner (chmod_socket/chown_socket, seed socket-perms.sh), a stale
/// file replaced, a live one refused, the file removed on exit.</summary>
public class UnixSocketPermissionTests
{
    [Fact]
    public async Task ChmodChownSocket_SetModeAndOwner()
    {
        TestUsers.Ensure();
        using var dir = new TempDir();
        var sock = Path.Combine(dir.Path, "app.sock");
        await using var server = await StartAsync(dir.Path, $"chmod_socket 660; chown_socket {TestUsers.Cgi}:{TestUsers.ExtraGroup};", sock);
        Assert.Equal($"660 {TestUsers.Cgi} {TestUsers.ExtraGroup} socket", Stat(sock));
    }

    [Fact]
    public async Task SeedSocketPermsScript_SameResultAsTheDirectives()
    {
        // The seed does by hand what chmod_socket/chown_socket do: run it on a plain socket, compare with ours.
        var script = File.ReadAllText(Path.Combine(RepoPaths.Seed, "socket-perms.sh"));
        var mode = System.Text.RegularExpressions.Regex.Match(script, @"chmod (\d+) app\.sock").Groups[1].Value;
        var owner = System.Text.RegularExpressions.Regex.Match(script, @"chown (\S+) app\.sock").Groups[1].Value;
        using var byHand = new TempDir();
        LeftoverSocket(Path.Combine(byHand.Path, "app.sock"));

        using var dir = new TempDir();
        var sock = Path.Combine(dir.Path, "app.sock");
        await using var server = await StartAsync(dir.Path, $"chmod_socket {mode}; chown_socket {owner};", sock);
        Assert.Equal("660 www-data www-data socket", Stat(sock));
        Assert.Equal(RunIn(byHand.Path, Path.Combine(RepoPaths.Seed, "socket-perms.sh")), Stat(sock));
    }

    [Fact]
    public async Task StaleSocketFile_IsReplaced_AndRemovedOnExit()
    {
        using var dir = new TempDir();
        var sock = Path.Combine(dir.Path, "app.sock");
        LeftoverSocket(sock);

        Assert.True(File.Exists(sock));
        var server = await StartAsync(dir.Path, "", sock);
        var r = await RawResponse.SendAsync(new UnixDomainSocketEndPoint(sock), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, r.Status);
        await server.DisposeAsync();
        Assert.False(File.Exists(sock));
    }

    [Fact]
    public async Task LiveSocket_IsAddressAlreadyInUse()
    {
        using var dir = new TempDir();
        var sock = Path.Combine(dir.Path, "app.sock");
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        live.Bind(new UnixDomainSocketEndPoint(sock));
        live.Listen();
        var e = await Assert.ThrowsAsync<IOException>(() => StartAsync(dir.Path, "", sock));
        Assert.Equal($"bind() to unix:{sock} failed (98: Address already in use)", e.Message);
        Assert.True(File.Exists(sock)); // the other server's socket is left alone
    }

    private static async Task<NginxLiteServer> StartAsync(string prefix, string directives, string sock)
    {
        File.WriteAllText(Path.Combine(prefix, "index.html"), "ok\n");
        var text = $"events {{}}\nhttp {{ {directives} server {{ listen unix:{sock}; root {prefix}; }} }}\n";
        var load = RouteTableLoader.LoadText(text, prefix + "/");
        Assert.True(load.Table is not null, string.Join("\n", load.Test.Diagnostics));
        var server = new NginxLiteServer(load.Table!);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A socket file nobody listens on, as a crashed server leaves it (.NET's Socket would unlink its own file
    /// on dispose, so python binds it and exits).</summary>
    private static void LeftoverSocket(string path) =>
        TestUsers.Run("python3", "-c", $"import socket; socket.socket(socket.AF_UNIX).bind('{path}')");

    private static string Stat(string path) => TestUsers.Run("stat", "-c", "%a %U %G %F", path).Trim();

    /// <summary>Runs the seed script in <paramref name="dir"/> (it names app.sock relatively), then stats the result.</summary>
    private static string RunIn(string dir, string script)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-e", script]) { WorkingDirectory = dir, RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        return Stat(Path.Combine(dir, "app.sock"));
    }
}
