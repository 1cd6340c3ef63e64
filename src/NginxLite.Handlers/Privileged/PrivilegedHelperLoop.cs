using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;
using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The helper process's side (<c>nginxlite --privileged-helper FD --allow USER[:GROUP]…</c>): reads one request per
/// packet, spawns through the same <see cref="SpawnedProcess.Spawn"/> and <see cref="ThreadCredentials"/> code as the
/// in-process CGI path, reaps its children on a thread of its own and reports each exit, signals only children it
/// started and has not reaped (so a reused pid is never hit). End of file on the socket — the server exited — kills
/// what is still running and ends the loop.
/// </summary>
public sealed class PrivilegedHelperLoop
{
    private const int Echild = 10;
    private const int Eintr = 4;

    private readonly int _socket;
    private readonly HelperPolicy _policy;
    private readonly TextWriter _log;
    private readonly Lock _send = new();
    private readonly Dictionary<int, bool> _children = []; // pid → leads its own process group
    private readonly AutoResetEvent _spawned = new(false);
    private volatile bool _done;
    private Thread? _reaper;

    private PrivilegedHelperLoop(int socket, HelperPolicy policy, TextWriter log)
    {
        _socket = socket;
        _policy = policy;
        _log = log;
    }

    /// <summary>The hidden command line mode: <paramref name="args"/> are what follows <c>--privileged-helper</c>:
    /// the socket fd, then <c>--allow USER[:GROUP]</c>, <c>--log PATH</c>, <c>--server USER[:GROUP]</c> (each
    /// repeatable but the last) and the configuration to read again (<see cref="HelperConfigSource"/>), which
    /// <paramref name="readConfig"/> turns into what it allows. Returns the exit code.</summary>
    public static int Main(string[] args, TextWriter log, Func<HelperConfigSource, HelperGrants?>? readConfig = null)
    {
        if (args.Length == 0 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            log.WriteLine("nginxlite: [emerg] --privileged-helper needs a socket fd");
            return 1;
        }

        var allow = new List<string>();
        var logs = new List<string>();
        string? server = null, conf = null, prefix = null, globals = null;
        var ignoreModules = false;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--allow" when value is not null:
                    allow.Add(value);
                    break;
                case "--log" when value is not null:
                    logs.Add(value);
                    break;
                case "--server" when value is not null:
                    server = value;
                    break;
                case "--conf" when value is not null:
                    conf = value;
                    break;
                case "--prefix" when value is not null:
                    prefix = value;
                    break;
                case "--globals" when value is not null:
                    globals = value;
                    break;
                case "--ignore-modules":
                    ignoreModules = true;
                    continue;
                default:
                    log.WriteLine($"nginxlite: [emerg] privileged helper: unknown argument \"{args[i]}\"");
                    return 1;
            }

            i++;
        }

        if (UnixAccount.EffectiveUid != 0 || !ThreadCredentials.IsSupported)
        {
            log.WriteLine("nginxlite: [emerg] privileged helper: must run as root on Linux x64/arm64");
            return 1;
        }

        // Signals meant for the server (systemd's SIGTERM to the whole cgroup, a terminal's SIGINT/SIGQUIT, SIGHUP)
        // do not end the helper: the server still needs it while it drains; the socket's EOF ends it.
        var ignored = new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGHUP }
            .Select(s => PosixSignalRegistration.Create(s, c => c.Cancel = true)).ToList();
        var source = conf is not null && prefix is not null ? new HelperConfigSource(conf, prefix, globals, ignoreModules) : null;
        Func<HelperGrants?>? current = source is not null && readConfig is not null ? Trusted(() => readConfig(source), log) : null;
        Run(fd, allow, log, logs, server, current);
        GC.KeepAlive(ignored);
        return 0;
    }

    /// <summary><paramref name="read"/>, except that a configuration someone other than root can write
    /// (<see cref="UntrustedConfigurationException"/>) grants nothing: an <c>[alert]</c> line says which file and why,
    /// and only the start's lists hold (docs/cgi.md, "Privileged helper").</summary>
    internal static Func<HelperGrants?> Trusted(Func<HelperGrants?> read, TextWriter log) => () =>
    {
        try
        {
            return read();
        }
        catch (UntrustedConfigurationException e)
        {
            log.WriteLine($"nginxlite: [alert] privileged helper: refusing to trust the configuration: {e.Message}; only the start's accounts and logs are allowed");
            return null;
        }
    };

    /// <summary>Serves <paramref name="socket"/> until end of file (tests run this on a thread). <paramref name="current"/>
    /// reads the configuration again (as root) for what the start's lists do not allow.</summary>
    public static void Run(int socket, IEnumerable<string> allow, TextWriter log, IEnumerable<string>? logs = null,
        string? server = null, Func<HelperGrants?>? current = null)
    {
        var errors = new List<string>();
        var policy = HelperPolicy.FromArguments(allow, errors, logs, server, current);
        foreach (var e in errors)
        {
            log.WriteLine($"nginxlite: [warn] privileged helper: {e}");
        }

        new PrivilegedHelperLoop(socket, policy, log).Serve();
    }

    private void Serve()
    {
        var buffer = new byte[FdChannel.MaxPacket];
        var fds = new List<int>();
        while (true)
        {
            int n;
            try
            {
                n = FdChannel.Receive(_socket, buffer, fds);
            }
            catch (InvalidDataException)
            {
                continue; // a truncated packet: its fds are closed, no reply (no id can be trusted)
            }
            catch (Win32Exception)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            try
            {
                Handle(buffer.AsSpan(0, n), fds);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or OverflowException)
            {
                _log.WriteLine($"nginxlite: [alert] privileged helper: malformed request ({e.Message})");
            }
            finally
            {
                FdChannel.CloseAll(fds);
            }
        }

        _done = true;
        lock (_send)
        {
            foreach (var (pid, group) in _children)
            {
                LibC.kill(group ? -pid : pid, LibC.SigKill);
            }
        }

        _spawned.Set();
        LibC.close(_socket);
    }

    private void Handle(ReadOnlySpan<byte> packet, List<int> fds)
    {
        using var r = HelperCodec.Open(packet, out var kind);
        var id = r.ReadUInt32();
        switch (kind)
        {
            case HelperMessageKind.Spawn:
                Spawn(id, HelperCodec.ReadSpawn(r), fds);
                break;
            case HelperMessageKind.Bind:
                HelperResources.Bind(this, id, r.ReadString());
                break;
            case HelperMessageKind.OpenLog:
                HelperResources.OpenLog(this, id, r.ReadString());
                break;
            case HelperMessageKind.GiveDirectory:
                var uid = r.ReadUInt32();
                var gid = r.ReadUInt32();
                HelperResources.GiveDirectory(this, id, uid, gid, r.ReadInt32(), fds);
                break;
            case HelperMessageKind.Signal:
                var pid = r.ReadInt32();
                var signal = r.ReadInt32();
                var group = r.ReadBoolean();
                Signal(id, pid, signal, group);
                break;
            default:
                Reply(HelperCodec.Refused(id, $"unknown request {(int)kind}"));
                break;
        }
    }

    private void Spawn(uint id, SpawnRequest request, List<int> fds)
    {
        var account = _policy.Check(request, out var reason);
        if (account is null)
        {
            Refuse(id, $"spawn \"{request.Path}\"", reason!);
            return;
        }

        if (fds.Count != 3)
        {
            Reply(HelperCodec.Refused(id, $"privileged helper refused: {fds.Count} fds, not stdin, stdout, stderr"));
            return;
        }

        // Spawn, record and reply under the send lock: the reaper reports this child's exit only after its Spawned.
        lock (_send)
        {
            int pid;
            try
            {
                pid = ThreadCredentials.RunAs(account, () =>
                    SpawnedProcess.Spawn(request.Path, request.Argv, request.Env, request.Directory, [fds[0], fds[1], fds[2]], request.NewSession));
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException)
            {
                // InvalidOperationException: a credential switch failed (ThreadCredentials restored root or failed fast).
                Send(HelperCodec.Refused(id, $"posix_spawn() \"{request.Path}\" failed ({e.Message})"));
                return;
            }

            _children[pid] = request.NewSession;
            Send(HelperCodec.Spawned(id, pid));
            if (_reaper is null)
            {
                // Started with the first child: waitpid(-1) reaps every child of this process, and this process has
                // no others (a test that runs the loop on a thread and is refused never starts it).
                _reaper = new Thread(Reap) { IsBackground = true, Name = "helper reaper" };
                _reaper.Start();
            }
        }

        _spawned.Set();
    }

    internal HelperPolicy Policy => _policy;

    /// <summary>Refuses <paramref name="id"/>: an [alert] line on the helper's stderr and the reason to the server.</summary>
    internal void Refuse(uint id, string what, string reason)
    {
        _log.WriteLine($"nginxlite: [alert] privileged helper: refused to {what}: {reason}");
        Reply(HelperCodec.Refused(id, $"privileged helper refused: {reason}"));
    }

    /// <summary>Answers <paramref name="id"/> with <paramref name="fd"/> attached (the helper's copy stays open: the
    /// caller closes it).</summary>
    internal void ReplyFd(uint id, int fd)
    {
        lock (_send)
        {
            try
            {
                FdChannel.Send(_socket, HelperCodec.Fd(id), [fd]);
            }
            catch (Win32Exception)
            {
            }
        }
    }

    internal void ReplyDone(uint id) => Reply(HelperCodec.Done(id));

    internal void ReplyFailed(uint id, string reason) => Reply(HelperCodec.Refused(id, reason));

    private void Signal(uint id, int pid, int signal, bool group)
    {
        lock (_send)
        {
            if (!_children.TryGetValue(pid, out var leader) || (group && !leader) || signal is < 1 or > 64)
            {
                Send(HelperCodec.Refused(id, $"privileged helper refused: pid {pid} is not a {(group ? "process group" : "child")} it started"));
                return;
            }

            var rc = LibC.kill(group ? -pid : pid, signal);
            Send(rc == 0 ? HelperCodec.Done(id) : HelperCodec.Refused(id, $"kill({pid}) failed ({Marshal.GetLastPInvokeError()})"));
        }
    }

    /// <summary>waitpid(-1) on its own thread: every child is the server's, reported as it exits.</summary>
    private unsafe void Reap()
    {
        while (!_done)
        {
            int status;
            var pid = LibC.waitpid(-1, &status, 0);
            if (pid > 0)
            {
                lock (_send)
                {
                    _children.Remove(pid);
                    Send(HelperCodec.Exited(pid, status));
                }
            }
            else if (Marshal.GetLastPInvokeError() == Echild)
            {
                _spawned.WaitOne();
            }
            else if (Marshal.GetLastPInvokeError() != Eintr)
            {
                Thread.Sleep(10);
            }
        }
    }

    private void Reply(byte[] packet)
    {
        lock (_send)
        {
            Send(packet);
        }
    }

    /// <summary>Under <see cref="_send"/>. A server that is gone cannot hear it: the read loop ends on its EOF.</summary>
    private void Send(byte[] packet)
    {
        try
        {
            FdChannel.Send(_socket, packet, []);
        }
        catch (Win32Exception)
        {
        }
    }
}
