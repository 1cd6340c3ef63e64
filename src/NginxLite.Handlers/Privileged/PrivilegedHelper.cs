using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The server's end of the root helper (docs/cgi.md, "Privileged helper"): what nginx's root master process gives
/// nginx. Started while the server is still root, before <c>user</c> drops it, as the same binary in a hidden mode
/// (<c>nginxlite --privileged-helper 3 --allow USER[:GROUP]…</c>) on one end of a SOCK_SEQPACKET pair. It spawns
/// children as the accounts its command line allows and signals only children it started; it exits when this end
/// closes (the server exited, however it exited).
/// </summary>
public sealed class PrivilegedHelper : IDisposable
{
    public const string Flag = "--privileged-helper";

    private readonly ConcurrentDictionary<uint, TaskCompletionSource<HelperReply>> _pending = new();
    private readonly ConcurrentDictionary<int, HelperChild> _children = new();
    private readonly Lock _send = new();
    private readonly int _socket;
    private uint _nextId;
    private volatile bool _closed;

    /// <summary>The server end of an already running helper (tests run the helper loop on a thread: pid 0).</summary>
    internal PrivilegedHelper(int socket, int pid)
    {
        _socket = socket;
        Pid = pid;
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "privileged helper" };
        reader.Start();
    }

    /// <summary>The nginxlite binary (set by the command line; null in a process that is not nginxlite, e.g. a test
    /// host, which then runs without a helper as before).</summary>
    public static string[]? Command { get; set; }

    /// <summary>The configuration file this server runs, as its command line named it (set by the serve command;
    /// null for a generated configuration): the helper reads it again, as root, to allow a reload's new ports, logs
    /// and accounts.</summary>
    public static HelperConfigSource? ConfigSource { get; set; }

    /// <summary>The helper of this process, if one was started (at most one, before the privilege drop).</summary>
    public static PrivilegedHelper? Current { get; private set; }

    public int Pid { get; }

    public bool IsAlive => !_closed;

    /// <summary>Starts the helper (the caller is root) allowing exactly <paramref name="allow"/> (USER or USER:GROUP,
    /// resolved by the helper itself); it becomes <see cref="Current"/>. <paramref name="more"/>: the rest of its
    /// command line (<c>--server</c>, <c>--log</c>, the configuration to read again).</summary>
    public static PrivilegedHelper Start(IEnumerable<string> allow, IEnumerable<string>? more = null)
    {
        var command = Command ?? throw new InvalidOperationException("no nginxlite binary to start the privileged helper from");
        var (mine, theirs) = FdChannel.Pair();
        var argv = new List<string>(command) { Flag, "3" };
        foreach (var a in allow)
        {
            argv.AddRange(["--allow", a]);
        }

        argv.AddRange(more ?? []);

        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}").ToList();
        int pid;
        try
        {
            // Its own session: a Ctrl-C meant for the server's terminal does not kill it; only the socket's EOF does.
            pid = SpawnedProcess.Spawn(command[0], argv, env, null, [-1, -1, -1, theirs], newSession: true);
        }
        catch
        {
            LibC.close(mine);
            throw;
        }
        finally
        {
            LibC.close(theirs);
        }

        var helper = new PrivilegedHelper(mine, pid);
        Current = helper;
        return helper;
    }

    /// <summary>Asks the helper to start <paramref name="request"/> with <paramref name="fds"/> as its fds 0, 1, 2.</summary>
    public async Task<HelperChild> SpawnAsync(SpawnRequest request, int[] fds)
    {
        var (id, reply) = Register();
        Send(HelperCodec.Spawn(id, request), fds, id);
        var (kind, child, reason, _) = await reply.Task;
        return kind == HelperMessageKind.Spawned && child is not null ? child : throw new PrivilegedHelperException(reason);
    }

    /// <summary>A bound, listening socket for a <c>listen</c> address (nginx's text form) the dropped server may no
    /// longer bind itself; the caller owns the fd. Throws <see cref="PrivilegedHelperException"/> when refused.</summary>
    public Task<int> BindAsync(string address) => FdAsync(id => HelperCodec.Bind(id, address), address);

    /// <summary>A log file opened for appending by the helper (its directory may be root's); the caller owns the fd.</summary>
    public Task<int> OpenLogAsync(string path) => FdAsync(id => HelperCodec.OpenLog(id, path), path);

    /// <summary>Gives <paramref name="directory"/> (owned by the server's user; opened here, O_NOFOLLOW, and passed as
    /// an fd) to an account the configuration names, with <paramref name="mode"/> (0700 or 0711): an app pool's run
    /// directory, which the dropped server can no longer chown.</summary>
    public async Task GiveDirectoryAsync(string directory, uint uid, uint gid, int mode)
    {
        var fd = LibC.open(directory, LibC.ODirectory | LibC.ONoFollow | LibC.OCloexec, 0);
        if (fd < 0)
        {
            throw new PrivilegedHelperException($"open(\"{directory}\") failed ({ProcessCredentials.Errno()})");
        }

        try
        {
            var (id, reply) = Register();
            Send(HelperCodec.GiveDirectory(id, uid, gid, mode), [fd], id);
            var (kind, _, reason, _) = await reply.Task;
            if (kind != HelperMessageKind.Done)
            {
                throw new PrivilegedHelperException(reason);
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>kill(2) of a child the helper started; false when it refused (not its child, or already reaped).</summary>
    public async Task<bool> SignalAsync(int pid, int signal, bool group)
    {
        var (id, reply) = Register();
        try
        {
            Send(HelperCodec.Signal(id, pid, signal, group), [], id);
        }
        catch (PrivilegedHelperException)
        {
            return false;
        }

        return (await reply.Task).Kind == HelperMessageKind.Done;
    }

    /// <summary>Closes the socket: the helper sees end of file, kills what it still runs and exits.</summary>
    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            LibC.shutdown(_socket, 2);
        }

        if (Current == this)
        {
            Current = null;
        }
    }

    /// <summary>Sends the packet <paramref name="build"/> makes for its id and waits for the fd it answers with.</summary>
    private async Task<int> FdAsync(Func<uint, byte[]> build, string what)
    {
        var (id, reply) = Register();
        Send(build(id), [], id);
        var (kind, _, reason, fd) = await reply.Task;
        return kind == HelperMessageKind.Fd && fd >= 0 ? fd : throw new PrivilegedHelperException(reason.Length > 0 ? reason : $"no fd for \"{what}\"");
    }

    private (uint Id, TaskCompletionSource<HelperReply> Reply) Register()
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<HelperReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        return (id, reply);
    }

    private void Send(byte[] packet, int[] fds, uint id)
    {
        try
        {
            lock (_send)
            {
                if (_closed)
                {
                    throw new Win32Exception(32);
                }

                FdChannel.Send(_socket, packet, fds);
            }
        }
        catch (Win32Exception e)
        {
            _pending.TryRemove(id, out _);
            throw new PrivilegedHelperException($"the privileged helper (pid {Pid}) is gone ({e.Message})");
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        var fds = new List<int>();
        try
        {
            while (true)
            {
                var n = FdChannel.Receive(_socket, buffer, fds);
                if (n == 0)
                {
                    FdChannel.CloseAll(fds);
                    break;
                }

                try
                {
                    Dispatch(buffer.AsSpan(0, n), fds);
                }
                finally
                {
                    FdChannel.CloseAll(fds); // what Dispatch did not take; never leak one
                }
            }
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidDataException or FormatException)
        {
        }

        lock (_send)
        {
            _closed = true;
            LibC.close(_socket);
        }

        foreach (var (_, reply) in _pending)
        {
            reply.TrySetResult(new HelperReply(HelperMessageKind.Refused, null, $"the privileged helper (pid {Pid.ToString(CultureInfo.InvariantCulture)}) is gone"));
        }

        foreach (var (_, child) in _children)
        {
            child.SetExited(-1);
        }

        if (Pid > 0)
        {
            unsafe
            {
                int status;
                LibC.waitpid(Pid, &status, 0);
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> packet, List<int> fds)
    {
        using var r = HelperCodec.Open(packet, out var kind);
        switch (kind)
        {
            case HelperMessageKind.Exited:
                var pid = r.ReadInt32();
                var status = r.ReadInt32();
                if (_children.TryRemove(pid, out var child))
                {
                    child.SetExited(status);
                }

                break;
            case HelperMessageKind.Spawned:
                var id = r.ReadUInt32();
                var spawned = r.ReadInt32();
                // Registered here, in packet order: the helper sends a child's Exited only after its Spawned.
                var started = new HelperChild(this, spawned);
                _children[spawned] = started;
                Complete(id, new HelperReply(kind, started, ""));
                break;
            case HelperMessageKind.Refused:
                var refused = r.ReadUInt32();
                Complete(refused, new HelperReply(kind, null, r.ReadString()));
                break;
            case HelperMessageKind.Done:
                Complete(r.ReadUInt32(), new HelperReply(kind, null, ""));
                break;
            case HelperMessageKind.Fd when fds.Count > 0:
                var fd = fds[0];
                fds.RemoveAt(0);
                if (!Complete(r.ReadUInt32(), new HelperReply(kind, null, "", fd)))
                {
                    LibC.close(fd); // nobody waits for it
                }

                break;
        }
    }

    private bool Complete(uint id, HelperReply result) =>
        _pending.TryRemove(id, out var reply) && reply.TrySetResult(result);
}
