using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// One running <c>nginxlite_cgi_forkserver.py</c> (docs/cgi.md, "Python preload fork server"): a python3 that is
/// already up, running as one account, which forks a child per request and runs the script in it with runpy. The
/// protocol is one packet per message on a SOCK_SEQPACKET pair (the fork server's fd 0), the script's stdio passed by
/// SCM_RIGHTS; the fork server reaps its children and reports their wait statuses, and kills their groups on request.
/// </summary>
internal sealed class PythonForkServer : IDisposable
{
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IRemoteChild>> _pending = new();
    private readonly ConcurrentDictionary<int, PythonForkChild> _children = new();
    private readonly Lock _send = new();
    private readonly int _socket;
    private readonly HelperChild? _remote;
    private uint _nextId;
    private volatile bool _closed;
    private volatile bool _retiring;

    private PythonForkServer(int socket, int pid, HelperChild? remote)
    {
        _socket = socket;
        Pid = pid;
        _remote = remote;
        new Thread(ReadLoop) { IsBackground = true, Name = "python fork server" }.Start();
    }

    public int Pid { get; }

    public bool IsAlive => !_closed;

    /// <summary>Starts <paramref name="interpreter"/> <c>-c</c> the fork server through <paramref name="spawn"/>, the
    /// same entry point (and so the same account) as a CGI child of that account; its fd 2 is the server's own.</summary>
    public static async Task<PythonForkServer> StartAsync(string interpreter, IReadOnlyList<string> env,
        Func<string, List<string>, IReadOnlyList<string>, int[], Task<(int Pid, HelperChild? Remote)>> spawn)
    {
        var (mine, theirs) = FdChannel.Pair();
        try
        {
            var (pid, remote) = await spawn(interpreter, [interpreter, "-c", Source.Value], env, [theirs, theirs, 2]);
            return new PythonForkServer(mine, pid, remote);
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
    }

    /// <summary>Asks for a fork running <paramref name="script"/>; throws <see cref="InvalidOperationException"/> when the
    /// fork server refused (its reason) or is gone, and <see cref="TimeoutException"/> when it did not answer within
    /// <paramref name="timeout"/> (<c>cgi_timeout</c>): a wedged fork server is killed then, so the next request
    /// starts another instead of waiting on it too.</summary>
    public async Task<IRemoteChild> ForkAsync(string script, string directory, IReadOnlyList<string> argv, IReadOnlyList<string> env, int[] fds,
        TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<IRemoteChild>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var fields = new List<string>(argv.Count + env.Count + 5) { "F", id.ToString(CultureInfo.InvariantCulture), script, directory, argv.Count.ToString(CultureInfo.InvariantCulture) };
        fields.AddRange(argv);
        fields.AddRange(env);
        if (!Send(fields, fds))
        {
            _pending.TryRemove(id, out _);
            throw new InvalidOperationException($"the python fork server (pid {Pid}) is gone");
        }

        try
        {
            return await reply.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            Kill();
            throw new TimeoutException($"the python fork server (pid {Pid}) did not answer within {timeout.TotalSeconds:0.###}s, killed");
        }
    }

    /// <summary>SIGKILL to the fork server itself (by its pid; through the helper when the helper is its parent) and
    /// the socket shut: its reader then kills the children's groups and reaps it.</summary>
    public void Kill()
    {
        if (_remote is not null)
        {
            _remote.Signal(LibC.SigKill);
        }
        else
        {
            LibC.kill(Pid, LibC.SigKill);
        }

        Dispose();
    }

    /// <summary>After a reload (docs/cgi.md): no new fork comes here (the caller forgot this fork server); it is
    /// stopped once idle — at once when no child runs and no fork is pending, else when the last child is reaped, so
    /// running scripts finish. Closing the socket is the stop: the fork server exits on end of file.</summary>
    public void Retire()
    {
        _retiring = true;
        StopIfRetiredAndIdle();
    }

    private void StopIfRetiredAndIdle()
    {
        if (_retiring && _children.IsEmpty && _pending.IsEmpty)
        {
            Dispose();
        }
    }

    /// <summary>kill(2) of a child's process group, by the fork server (it runs as the child's account; this server
    /// may not). Straight from here when the fork server is gone and this server may signal the group itself.</summary>
    public void Signal(int pid, int signal, bool group)
    {
        if (!Send(["K", pid.ToString(CultureInfo.InvariantCulture), signal.ToString(CultureInfo.InvariantCulture)], []))
        {
            LibC.kill(group ? -pid : pid, signal);
        }
    }

    public void Dispose()
    {
        lock (_send)
        {
            if (!_closed)
            {
                _closed = true;
                LibC.shutdown(_socket, 2);
            }
        }
    }

    private bool Send(List<string> fields, int[] fds)
    {
        var packet = Encoding.UTF8.GetBytes(string.Join('\0', fields));
        lock (_send)
        {
            if (_closed)
            {
                return false;
            }

            try
            {
                FdChannel.Send(_socket, packet, fds);
                return true;
            }
            catch (Win32Exception)
            {
                // EPIPE: it died and the reader has not seen the end of file yet; a new one is started at once.
                _closed = true;
                return false;
            }
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
                FdChannel.CloseAll(fds);
                if (n == 0)
                {
                    break;
                }

                Dispatch(Encoding.UTF8.GetString(buffer, 0, n).Split('\0'));
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
            reply.TrySetException(new InvalidOperationException($"the python fork server (pid {Pid}) is gone"));
        }

        // Its children lost their reaper: kill their groups (as root or as their user we may), then let the requests go.
        foreach (var (pid, child) in _children)
        {
            LibC.kill(-pid, LibC.SigKill);
            child.SetExited(-1);
        }

        if (_remote is null)
        {
            unsafe
            {
                int status;
                LibC.waitpid(Pid, &status, 0);
            }
        }
    }

    private void Dispatch(string[] f)
    {
        switch (f[0])
        {
            case "S" when f.Length >= 3:
                var child = new PythonForkChild(this, int.Parse(f[2], CultureInfo.InvariantCulture));
                _children[child.Pid] = child;
                if (_pending.TryRemove(uint.Parse(f[1], CultureInfo.InvariantCulture), out var started))
                {
                    started.TrySetResult(child);
                }
                else
                {
                    // Its request gave up waiting (timeout): nobody reads the script's output; it must not run on.
                    Signal(child.Pid, LibC.SigKill, group: true);
                }

                break;
            case "E" when f.Length >= 3:
                if (_pending.TryRemove(uint.Parse(f[1], CultureInfo.InvariantCulture), out var refused))
                {
                    refused.TrySetException(new InvalidOperationException($"the python fork server refused: {f[2]}"));
                }

                StopIfRetiredAndIdle();
                break;
            case "X" when f.Length >= 3:
                if (_children.TryRemove(int.Parse(f[1], CultureInfo.InvariantCulture), out var exited))
                {
                    exited.SetExited(int.Parse(f[2], CultureInfo.InvariantCulture));
                }

                StopIfRetiredAndIdle();
                break;
        }
    }

    /// <summary>The embedded fork server's source, passed with <c>-c</c> (no file to own, install or check).</summary>
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(PythonForkServer).Assembly.GetManifestResourceStream("nginxlite_cgi_forkserver.py")
            ?? throw new InvalidOperationException("nginxlite_cgi_forkserver.py is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
