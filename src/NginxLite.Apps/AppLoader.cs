using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using NginxLite.Handlers.Privileged;

namespace NginxLite.Apps;

/// <summary>
/// <c>lazy_apps off</c> (uWSGI's default, uWSGI docs "Things to know": the app is loaded in the master and the
/// workers are fork()ed from it, sharing its memory copy-on-write). The loader is the Python or Ruby shim started with
/// <c>--loader</c> as an ordinary worker process (same account, environment and need-app exit 22); once it says
/// NGINXLITE-READY it listens on a private SOCK_SEQPACKET control socket, which this class connects to once. Commands
/// (one packet each, docs/app-shims.md "Loader"): <c>fork PATH</c> with the worker's stdout and stderr as SCM_RIGHTS
/// fds, answered <c>forked PID</c>; <c>kill PID SIG</c>. The loader reports <c>exit PID WAITSTATUS</c> for each worker
/// it reaps. Forks are one at a time (the answer is the next forked/error packet).
/// </summary>
internal sealed class AppLoader
{
    private readonly SemaphoreSlim _forks = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _exits = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _control;
    private TaskCompletionSource<string>? _answer;
    private volatile bool _shut;

    public AppLoader(AppWorker process, string controlSocket)
    {
        Process = process;
        ControlSocket = controlSocket;
    }

    /// <summary>The loader process itself (its output goes to the error log as "loader" lines).</summary>
    public AppWorker Process { get; }

    public string ControlSocket { get; }

    public int Pid => Process.Pid;

    /// <summary>Set when a chain reload replaced this loader or the pool stops: its death is not a failure.</summary>
    public bool Retiring { get; set; }

    /// <summary>Connects to the ready loader's control socket and starts reading its reports.</summary>
    public void Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            // A synchronous connect leaves the socket blocking: FdChannel reads it on a thread of its own.
            socket.Connect(new UnixDomainSocketEndPoint(ControlSocket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _control = socket;
        new Thread(Read) { IsBackground = true, Name = "app loader " + Pid.ToString(CultureInfo.InvariantCulture) }.Start();
    }

    /// <summary>Asks the loader to fork a worker serving on <paramref name="socket"/> with the given stdout/stderr;
    /// its pid. Throws <see cref="AppLoadException"/> (with <paramref name="app"/>) when the loader cannot.</summary>
    public async Task<int> ForkAsync(string app, string socket, int stdout, int stderr, CancellationToken cancel)
    {
        await _forks.WaitAsync(cancel);
        try
        {
            var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _answer, answer);
            if (!TrySend("fork " + socket, [stdout, stderr]))
            {
                throw new AppLoadException(app, $"the loader (pid: {Pid}) is gone");
            }

            var text = await Task.WhenAny(answer.Task, _closed.Task) == answer.Task ? answer.Task.Result : "error the loader is gone";
            if (text.StartsWith("forked ", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            throw new AppLoadException(app, $"the loader (pid: {Pid}) could not fork: {text}");
        }
        finally
        {
            Volatile.Write(ref _answer, null);
            _forks.Release();
        }
    }

    /// <summary>A worker's wait status as the loader reported it when it reaped the worker.</summary>
    public Task<int> ExitStatusAsync(int pid) => _exits.GetOrAdd(pid, _ => NewStatus()).Task;

    /// <summary>Forgets a worker's status once it has been read.</summary>
    public void Forget(int pid) => _exits.TryRemove(pid, out _);

    /// <summary>Signals a worker through the loader (its parent, same account): for a server that dropped to another
    /// user and may not signal it itself.</summary>
    public void Signal(int pid, int signal) =>
        TrySend(string.Create(CultureInfo.InvariantCulture, $"kill {pid} {signal}"), []);

    /// <summary>Shuts down our side of the control socket: the loader forks no more and exits once its workers are
    /// gone. Only the send side: the loader still reports each worker it reaps (<c>exit PID STATUS</c>, the last old
    /// worker's exit status after a chain reload) and the reader stops when the loader closes its end, as it exits.</summary>
    public void Close()
    {
        try
        {
            _shut = true;
            _control?.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private bool TrySend(string text, ReadOnlySpan<int> fds)
    {
        if (_control is not { } socket || _closed.Task.IsCompleted || _shut)
        {
            return false;
        }

        try
        {
            lock (socket)
            {
                FdChannel.Send((int)socket.Handle, Encoding.UTF8.GetBytes(text), fds);
            }

            return true;
        }
        catch (Exception e) when (e is Win32Exception or ObjectDisposedException)
        {
            return false;
        }
    }

    private void Read()
    {
        var buffer = new byte[4096];
        var fds = new List<int>();
        try
        {
            while (true)
            {
                var n = FdChannel.Receive((int)_control!.Handle, buffer, fds);
                FdChannel.CloseAll(fds);
                if (n <= 0)
                {
                    return;
                }

                Dispatch(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidDataException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult();
            _control?.Dispose();
        }
    }

    private void Dispatch(string text)
    {
        if (text.StartsWith("exit ", StringComparison.Ordinal))
        {
            var parts = text.Split(' ');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                _exits.GetOrAdd(pid, _ => NewStatus()).TrySetResult(status);
            }

            return;
        }

        Volatile.Read(ref _answer)?.TrySetResult(text);
    }

    private static TaskCompletionSource<int> NewStatus() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
