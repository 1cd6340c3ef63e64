using System.Runtime.InteropServices;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Privileged;

/// <summary>
/// The helper's refusals, over its real socket (a SOCK_SEQPACKET pair, fds passed as SCM_RIGHTS) with the helper loop
/// on a thread of this (root) test process: nothing it refuses is ever spawned, so its reaper never starts here.
/// </summary>
public sealed class PrivilegedHelperLoopTests : IDisposable
{
    private readonly TempDir _dir = new("nginxlite-helper-unit-");
    private readonly StringWriter _log = new();
    private readonly List<SafeHandle> _handles = [];
    private PrivilegedHelper? _client;
    private Thread? _loop;

    public PrivilegedHelperLoopTests() => TestUsers.Ensure();

    public void Dispose()
    {
        _client?.Dispose();
        Assert.True(_loop?.Join(TimeSpan.FromSeconds(10)) ?? true, "the helper loop ends on end of file");
        foreach (var h in _handles)
        {
            h.Dispose();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Spawn_Uid0_RefusedAndNotStarted()
    {
        var helper = Start(TestUsers.Cgi);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.SpawnAsync(Request(0, 0, [0], "/bin/true"), Fds()));

        Assert.Contains("refusing uid 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused to spawn \"/bin/true\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_RootInAllowList_StillRefused()
    {
        var helper = Start("root");

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.SpawnAsync(Request(0, 0, [0], "/bin/true"), Fds()));

        Assert.Contains("refusing uid 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"root\" not allowed", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_UserNotInConfig_Refused()
    {
        var helper = Start(TestUsers.Cgi);
        var other = Account(TestUsers.Other);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() =>
            helper.SpawnAsync(Request(other.Uid, other.Gid, other.Groups, "/bin/true"), Fds()));

        Assert.Contains("is not an account the configuration names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_MoreGroupsThanTheUserHas_Refused()
    {
        var helper = Start(TestUsers.Cgi);
        var cgi = Account(TestUsers.Cgi);
        var other = Account(TestUsers.Other);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() =>
            helper.SpawnAsync(Request(cgi.Uid, cgi.Gid, [.. cgi.Groups, other.Gid], "/bin/true"), Fds()));

        Assert.Contains("is not an account the configuration names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_GroupWritableProgram_Refused()
    {
        var helper = Start(TestUsers.Cgi);
        var cgi = Account(TestUsers.Cgi);
        var program = Script(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.SpawnAsync(Request(cgi.Uid, cgi.Gid, cgi.Groups, program), Fds()));

        Assert.Contains("is writable by group", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spawn_ScriptOwnedByAnotherUser_Refused()
    {
        var helper = Start(TestUsers.Cgi);
        var cgi = Account(TestUsers.Cgi);
        var script = Script(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        TestUsers.Run("chown", TestUsers.Other, script);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() =>
            helper.SpawnAsync(Request(cgi.Uid, cgi.Gid, cgi.Groups, "/bin/sh") with { Script = script }, Fds()));

        Assert.Contains($"is owned by uid {Account(TestUsers.Other).Uid}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signal_ProcessItDidNotStart_Refused()
    {
        var helper = Start(TestUsers.Cgi);

        // SIGCONT to this very test process: harmless if it were sent, and the helper must not send it.
        var sent = await helper.SignalAsync(Environment.ProcessId, 18, group: false);

        Assert.False(sent);
    }

    [Fact]
    public async Task Request_Malformed_LoggedAndHelperKeepsAnswering()
    {
        // A spawn packet cut short after its id: what a compromised server might send.
        var helper = Start([1, 7, 0, 0, 0, 0xff], TestUsers.Cgi);

        var e = await Assert.ThrowsAsync<PrivilegedHelperException>(() => helper.SpawnAsync(Request(0, 0, [0], "/bin/true"), Fds()));

        Assert.Contains("refusing uid 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("malformed request", _log.ToString(), StringComparison.Ordinal);
    }

    private PrivilegedHelper Start(params string[] allow) => Start(null, allow);

    private PrivilegedHelper Start(byte[]? first, params string[] allow)
    {
        var (server, helper) = FdChannel.Pair();
        if (first is not null)
        {
            FdChannel.Send(server, first, []);
        }

        _loop = new Thread(() => PrivilegedHelperLoop.Run(helper, allow, _log)) { IsBackground = true };
        _loop.Start();
        _client = new PrivilegedHelper(server, pid: 0);
        return _client;
    }

    private static SpawnRequest Request(uint uid, uint gid, uint[] groups, string path) =>
        new(path, [path], ["PATH=/usr/bin:/bin"], "/", uid, gid, groups, NewSession: true, Script: null);

    private static UnixAccount Account(string user) => UnixAccount.TryResolve(user, null, out _)!;

    private string Script(UnixFileMode mode)
    {
        var path = _dir.File("prog.sh", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private int[] Fds()
    {
        var fds = new int[3];
        for (var i = 0; i < 3; i++)
        {
            var h = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
            _handles.Add(h);
            fds[i] = (int)h.DangerousGetHandle();
        }

        return fds;
    }
}
