using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing.Servers;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Privileged;

/// <summary>
/// What the helper opens for the dropped server (docs/cgi.md, "Privileged helper"): a listening socket, a log file, an
/// app pool's run directory — over its real socket (SOCK_SEQPACKET, SCM_RIGHTS) with the helper loop on a thread of
/// this (root) test process, and only for what the configuration it "reads" (<see cref="_grants"/>) names.
/// </summary>
public sealed class HelperResourceTests : IDisposable
{
    private static readonly UnixFileMode Searchable = (UnixFileMode)0x1C9; // 0711

    private readonly TempDir _dir = new("nginxlite-helper-res-");
    private readonly StringWriter _log = new();
    private HelperGrants? _grants = HelperGrants.None;
    private PrivilegedHelper? _client;
    private Thread? _loop;

    public HelperResourceTests() => TestUsers.Ensure();

    public void Dispose()
    {
        _client?.Dispose();
        Assert.True(_loop?.Join(TimeSpan.FromSeconds(10)) ?? true, "the helper loop ends on end of file");
        _dir.Dispose();
    }

    [Fact]
    public async Task Bind_AddressNotInConfig_RefusedAndLogged()
    {
        _grants = Grants(listen: ["127.0.0.1:700"]);
        var helper = Start();

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.BindAsync("127.0.0.1:22"));

        Assert.Contains("\"127.0.0.1:22\" is not a listen address of the configuration", e.Message, StringComparison.Ordinal);
        Assert.Contains("[alert] privileged helper: refused to bind \"127.0.0.1:22\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_NoConfigurationToRead_Refused()
    {
        _grants = null; // a generated configuration (--ini): nothing the helper can read again
        var helper = Start();

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.BindAsync("127.0.0.1:700"));

        Assert.Contains("is not a listen address of the configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_AddressInConfig_PassesListeningSocket()
    {
        var port = FreePort();
        _grants = Grants(listen: [$"127.0.0.1:{port}"]);
        var helper = Start();

        var fd = await helper.BindAsync($"127.0.0.1:{port}");
        using var listener = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(port, ((IPEndPoint)listener.LocalEndPoint!).Port);
        Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, ((IPEndPoint)accepted.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task Bind_UnixSocketInRootOnlyDirectory_BoundWithConfiguredMode()
    {
        var dir = RootOnlyDir("sock");
        var path = Path.Combine(dir, "s.sock");
        _grants = Grants(listen: [$"unix:{path}"]) with { SocketMode = "660" };
        var helper = Start();

        var fd = await helper.BindAsync($"unix:{path}");
        using var listener = new Socket(new SafeSocketHandle(fd, ownsHandle: true));

        Assert.Equal((UnixFileMode)0x1B0, File.GetUnixFileMode(path) & (UnixFileMode)0x1FF); // 0660
        Assert.Equal(path, ((UnixDomainSocketEndPoint)listener.LocalEndPoint!).ToString());
    }

    [Fact]
    public async Task OpenLog_PathNotInConfig_Refused()
    {
        var allowed = Path.Combine(_dir.Path, "access.log");
        _grants = Grants(logs: [allowed]);
        var helper = Start();

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.OpenLogAsync("/etc/passwd"));

        Assert.Contains("\"/etc/passwd\" is not a log file of the configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenLog_NewFileInRootOnlyDirectory_AppendsAndOwnedByServerUser()
    {
        var path = Path.Combine(RootOnlyDir("logs"), "access.log");
        _grants = null; // a log of the start: the command line's --log list
        var helper = Start(logs: [path], server: TestUsers.Other);

        await Write(await helper.OpenLogAsync(path), "first\n");
        await Write(await helper.OpenLogAsync(path), "second\n");

        Assert.Equal("first\nsecond\n", File.ReadAllText(path));
        Assert.Equal((uint)TestUsers.Uid(TestUsers.Other), FileStatus.Get(path)!.Value.Uid);
    }

    [Fact]
    public async Task OpenLog_SymlinkPlantedAtLogPath_NotFollowed()
    {
        var target = _dir.File("target", "untouched\n");
        var path = Path.Combine(_dir.Path, "error.log");
        File.CreateSymbolicLink(path, target);
        _grants = Grants(logs: [path]);
        var helper = Start();

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.OpenLogAsync(path));

        Assert.Contains("open() \"" + path + "\" failed (40:", e.Message, StringComparison.Ordinal); // ELOOP
        Assert.Equal("untouched\n", File.ReadAllText(target));
    }

    [Fact]
    public async Task GiveDirectory_ServerOwnedToConfiguredAccount_OwnerAndModeSet()
    {
        var dir = _dir.Dir("run");
        TestUsers.Run("chown", TestUsers.Other, dir); // the dropped server's directory
        _grants = Grants(accounts: [TestUsers.Cgi]); // a pool a reload added: only the re-read config names it
        var helper = Start(server: TestUsers.Other);
        var cgi = UnixAccount.TryResolve(TestUsers.Cgi, null, out _)!;

        await helper.GiveDirectoryAsync(dir, cgi.Uid, cgi.Gid, 0x1C9);

        var st = FileStatus.Get(dir)!.Value;
        Assert.Equal((cgi.Uid, cgi.Gid), (st.Uid, st.Gid));
        Assert.Equal(Searchable, st.Mode & (UnixFileMode)0x1FF);
    }

    [Fact]
    public async Task GiveDirectory_AccountNotInConfig_RefusedAndUnchanged()
    {
        var dir = _dir.Dir("run");
        TestUsers.Run("chown", TestUsers.Other, dir);
        _grants = Grants(accounts: [TestUsers.Other]);
        var helper = Start(server: TestUsers.Other);
        var cgi = UnixAccount.TryResolve(TestUsers.Cgi, null, out _)!;

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.GiveDirectoryAsync(dir, cgi.Uid, cgi.Gid, 0x1C9));

        Assert.Contains("is not an account the configuration names", e.Message, StringComparison.Ordinal);
        Assert.Equal((uint)TestUsers.Uid(TestUsers.Other), FileStatus.Get(dir)!.Value.Uid);
    }

    [Fact]
    public async Task GiveDirectory_NotOwnedByServerUser_Refused()
    {
        var dir = RootOnlyDir("etc-like"); // root's: a compromised server pointing at a directory it does not own
        _grants = Grants(accounts: [TestUsers.Cgi]);
        var helper = Start(server: TestUsers.Other);
        var cgi = UnixAccount.TryResolve(TestUsers.Cgi, null, out _)!;

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.GiveDirectoryAsync(dir, cgi.Uid, cgi.Gid, 0x1C9));

        Assert.Contains("not a directory owned by the server's user", e.Message, StringComparison.Ordinal);
        Assert.Equal(0u, FileStatus.Get(dir)!.Value.Uid);
    }

    [Fact]
    public async Task Spawn_AccountOnlyInReadConfig_PassesAccountCheck()
    {
        _grants = Grants(accounts: [TestUsers.Cgi]);
        var helper = Start(); // the start's --allow list is empty
        var cgi = UnixAccount.TryResolve(TestUsers.Cgi, null, out _)!;
        var program = _dir.File("prog.sh", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(program, (UnixFileMode)0x1F8); // 0770: group-writable, so it is refused after the account check

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() =>
            helper.SpawnAsync(new SpawnRequest(program, [program], [], "/", cgi.Uid, cgi.Gid, cgi.Groups, true, null), [0, 1, 2]));

        Assert.Contains("is writable by group", e.Message, StringComparison.Ordinal);
    }

    private PrivilegedHelper Start(string[]? logs = null, string? server = null)
    {
        var (mine, theirs) = FdChannel.Pair();
        _loop = new Thread(() => PrivilegedHelperLoop.Run(theirs, [], _log, logs, server, () => _grants)) { IsBackground = true };
        _loop.Start();
        _client = new PrivilegedHelper(mine, pid: 0);
        return _client;
    }

    private static HelperGrants Grants(string[]? listen = null, string[]? logs = null, string[]? accounts = null) =>
        new([.. (listen ?? []).Select(ListenAddress.Parse)], logs ?? [], accounts ?? [], null, null);

    private string RootOnlyDir(string name)
    {
        var dir = _dir.Dir(name);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private static async Task Write(int fd, string text)
    {
        await using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
