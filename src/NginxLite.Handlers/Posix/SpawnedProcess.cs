using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using NginxLite.Handlers.Privileged;

namespace NginxLite.Handlers.Posix;

/// <summary>
/// A child started with posix_spawn(3) — glibc's clone(CLONE_VFORK) path, no fork of the runtime, no shell — as the
/// leader of a new session and process group (so <see cref="KillGroup"/> reaches everything it starts), with signal
/// dispositions reset (the runtime ignores SIGPIPE; a script must not inherit that). Its stdin and stdout are one end
/// of a Unix socket pair and stderr another, so the parent does asynchronous socket I/O on them, with no thread blocked.
/// </summary>
public sealed class SpawnedProcess : IDisposable
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    private readonly Lock _reapLock = new();
    private int _reaped;
    private IRemoteChild? _remote;

    private SpawnedProcess(int pid, Socket stdio, Socket stderr)
    {
        Pid = pid;
        Stdio = stdio;
        Stderr = stderr;
    }

    public int Pid { get; }

    /// <summary>The parent's end of the child's stdin (write, then shut down Send for EOF) and stdout (read).</summary>
    public Socket Stdio { get; }

    /// <summary>The parent's end of the child's stderr.</summary>
    public Socket Stderr { get; }

    /// <summary>The wait status once reaped (see <see cref="TryReap"/>).</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>Starts <paramref name="path"/> with <paramref name="argv"/> and exactly <paramref name="env"/>
    /// (KEY=VALUE) in <paramref name="directory"/>. Throws <see cref="Win32Exception"/> when the spawn fails.</summary>
    public static SpawnedProcess Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> env, string? directory)
    {
        var (stdio, stderr) = StdioPairs();
        int pid;
        try
        {
            pid = Spawn(path, argv, env, directory, [stdio.Child, stdio.Child, stderr.Child], newSession: true);
        }
        catch
        {
            LibC.close(stdio.Parent);
            LibC.close(stderr.Parent);
            throw;
        }
        finally
        {
            LibC.close(stdio.Child);
            LibC.close(stderr.Child);
        }

        return new SpawnedProcess(pid, Wrap(stdio.Parent), Wrap(stderr.Parent));
    }

    /// <summary>The same child, started by the root helper (docs/cgi.md, "Privileged helper") as
    /// <paramref name="account"/>: the stdio pairs are made here and their child ends passed to the helper.
    /// Throws <see cref="PrivilegedHelperException"/> when the helper refuses or is gone.</summary>
    public static Task<SpawnedProcess> StartAsync(PrivilegedHelper helper, UnixAccount account, string path, IReadOnlyList<string> argv,
        IReadOnlyList<string> env, string? directory, string? script)
    {
        var request = new SpawnRequest(path, [.. argv], [.. env], directory, account.Uid, account.Gid, account.Groups, NewSession: true, script);
        return StartRemoteAsync(async fds => await helper.SpawnAsync(request, fds));
    }

    /// <summary>The same child, started by another process that already runs as (or may become) the script's account —
    /// the root helper or a Python fork server (docs/cgi.md, "Python preload fork server"): the stdio pairs are made
    /// here, their child ends passed to <paramref name="fork"/>, and the parents' ends kept or closed on failure.</summary>
    internal static async Task<SpawnedProcess> StartRemoteAsync(Func<int[], Task<IRemoteChild>> fork)
    {
        var (stdio, stderr) = StdioPairs();
        IRemoteChild child;
        try
        {
            child = await fork([stdio.Child, stdio.Child, stderr.Child]);
        }
        catch
        {
            LibC.close(stdio.Parent);
            LibC.close(stderr.Parent);
            throw;
        }
        finally
        {
            LibC.close(stdio.Child);
            LibC.close(stderr.Child);
        }

        return new SpawnedProcess(child.Pid, Wrap(stdio.Parent), Wrap(stderr.Parent)) { _remote = child };
    }

    /// <summary>
    /// posix_spawn(3) of <paramref name="path"/> with signal dispositions reset and an empty mask; <paramref name="fds"/>[i]
    /// becomes the child's fd i (-1: inherit). <paramref name="newSession"/>: setsid, so the child leads a new process
    /// group. The caller's thread credentials are the child's (see <see cref="ThreadCredentials"/>). Returns the pid.
    /// </summary>
    internal static unsafe int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> env, string? directory,
        ReadOnlySpan<int> fds, bool newSession)
    {
        // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare.
        var actions = NativeMemory.AllocZeroed(256);
        var attr = NativeMemory.AllocZeroed(512);
        var sigs = NativeMemory.AllocZeroed(256);
        var strings = new NativeStrings();
        int pid;
        int rc;
        try
        {
            LibC.posix_spawn_file_actions_init(actions);
            for (var i = 0; i < fds.Length; i++)
            {
                if (fds[i] >= 0)
                {
                    LibC.posix_spawn_file_actions_adddup2(actions, fds[i], i);
                }
            }

            if (directory is not null)
            {
                LibC.posix_spawn_file_actions_addchdir_np(actions, strings.Add(directory));
            }

            LibC.posix_spawnattr_init(attr);
            // setsid: a new session and process group. With kernel.sched_autogroup_enabled=1 a new session is also its
            // own scheduling group (docs/cgi.md "Speed"): scripts then weigh like other sessions, not like the server's
            // threads. A process group in the server's session was measured and kept out (it made scripts lose to
            // outside load); the choice is this one flag.
            LibC.posix_spawnattr_setflags(attr, (short)((newSession ? LibC.SpawnSetSid : 0) | LibC.SpawnSetSigDef | LibC.SpawnSetSigMask));
            LibC.sigfillset(sigs);
            LibC.posix_spawnattr_setsigdefault(attr, sigs);
            LibC.sigemptyset(sigs);
            LibC.posix_spawnattr_setsigmask(attr, sigs);

            var file = strings.Add(path);
            var args = strings.Array(argv);
            var envp = strings.Array(env);
            rc = LibC.posix_spawn(&pid, file, actions, attr, args, envp);
        }
        finally
        {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
            strings.Dispose();
        }

        return rc == 0 ? pid : throw new Win32Exception(rc);
    }

    /// <summary>Two close-on-exec Unix socket pairs: stdin+stdout, and stderr.</summary>
    private static unsafe ((int Parent, int Child) Stdio, (int Parent, int Child) Stderr) StdioPairs()
    {
        var stdio = stackalloc int[2];
        var stderr = stackalloc int[2];
        if (LibC.socketpair(AfUnix, SockStream | SockCloexec, 0, stdio) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        if (LibC.socketpair(AfUnix, SockStream | SockCloexec, 0, stderr) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.close(stdio[0]);
            LibC.close(stdio[1]);
            throw new Win32Exception(errno);
        }

        return ((stdio[0], stdio[1]), (stderr[0], stderr[1]));
    }

    /// <summary>SIGKILL to the whole process group (the script and everything it started).</summary>
    public void KillGroup()
    {
        if (Volatile.Read(ref _reaped) != 0)
        {
            return;
        }

        if (_remote is { } remote)
        {
            remote.Signal(LibC.SigKill, group: true);
        }
        else
        {
            LibC.kill(-Pid, LibC.SigKill);
        }
    }

    /// <summary>waitpid(WNOHANG): true once the child has exited and is reaped.</summary>
    public unsafe bool TryReap()
    {
        lock (_reapLock)
        {
            if (Volatile.Read(ref _reaped) != 0)
            {
                return true;
            }

            if (_remote is { } remote)
            {
                // Not our child: the helper reaps it and reports the wait status.
                if (!remote.Exited.IsCompleted)
                {
                    return false;
                }

                ExitStatus = remote.Exited.Result;
                Volatile.Write(ref _reaped, 1);
                return true;
            }

            int status;
            var r = LibC.waitpid(Pid, &status, LibC.WNoHang);
            if (r == Pid || (r < 0 && Marshal.GetLastPInvokeError() == 10 /* ECHILD */))
            {
                ExitStatus = r == Pid ? status : null;
                Volatile.Write(ref _reaped, 1);
                return true;
            }

            return false;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the exit, without blocking a thread; true once reaped.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (TryReap())
        {
            return true;
        }

        // The helper's child: its exit report is the signal (waitpid here would say ECHILD).
        if ((_remote?.Exited ?? ChildExitWatcher.Shared?.Watch(this)) is { } exited)
        {
            try
            {
                await exited.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
            }

            return TryReap();
        }

        return await PollAsync(timeout);
    }

    /// <summary>Waits for the exit without blocking a thread (pidfd, see <see cref="ChildExitWatcher"/>); after
    /// <paramref name="grace"/> the group is killed so no zombie or runaway stays behind.</summary>
    public async Task ReapAsync(TimeSpan grace)
    {
        if (await WaitForExitAsync(grace))
        {
            return;
        }

        KillGroup();
        while (!await WaitForExitAsync(grace))
        {
            KillGroup();
        }
    }

    /// <summary>Without pidfds: waitpid polling, 1 ms rising to 50 ms.</summary>
    private async Task<bool> PollAsync(TimeSpan timeout)
    {
        var start = Environment.TickCount64;
        var delay = 1;
        while (!TryReap())
        {
            if (Environment.TickCount64 - start > timeout.TotalMilliseconds)
            {
                return false;
            }

            await Task.Delay(delay);
            delay = Math.Min(delay * 2, 50);
        }

        return true;
    }

    public void Dispose()
    {
        Stdio.Dispose();
        Stderr.Dispose();
    }

    private static Socket Wrap(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));

    /// <summary>NUL-terminated UTF-8 strings and pointer arrays in native memory, freed together.</summary>
    private sealed unsafe class NativeStrings : IDisposable
    {
        private readonly List<nint> _blocks = [];

        public byte* Add(string s)
        {
            var n = Encoding.UTF8.GetByteCount(s);
            var p = (byte*)NativeMemory.Alloc((nuint)n + 1);
            Encoding.UTF8.GetBytes(s, new Span<byte>(p, n));
            p[n] = 0;
            _blocks.Add((nint)p);
            return p;
        }

        public byte** Array(IReadOnlyList<string> items)
        {
            var p = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(nint));
            _blocks.Add((nint)p);
            for (var i = 0; i < items.Count; i++)
            {
                p[i] = Add(items[i]);
            }

            p[items.Count] = null;
            return p;
        }

        public void Dispose()
        {
            foreach (var b in _blocks)
            {
                NativeMemory.Free((void*)b);
            }
        }
    }
}
