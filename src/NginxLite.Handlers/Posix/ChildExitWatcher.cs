using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace NginxLite.Handlers.Posix;

/// <summary>
/// Waits for the exits of spawned children on one background thread: each child's pidfd (pidfd_open(2)) sits in one
/// epoll set, and the moment one polls readable the child is reaped (waitpid) and its task completed. This replaced
/// waitpid(WNOHANG) polling on timers (1 ms rising to 50 ms per child), which reaped late, kept a timer per lingering
/// child and woke the server up to 1000 times a second for nothing. Null where pidfds are missing (Linux before 5.3,
/// glibc before 2.36): <see cref="SpawnedProcess"/> then polls as before.
/// </summary>
internal sealed unsafe class ChildExitWatcher
{
    private const int MaxEvents = 64;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<int, Watched> _watched = new();

    private ChildExitWatcher(int epoll)
    {
        _epoll = epoll;
        new Thread(Run) { IsBackground = true, Name = "cgi child exits" }.Start();
    }

    public static ChildExitWatcher? Shared { get; } = TryCreate();

    /// <summary>A task that completes once <paramref name="process"/> has exited and been reaped; null when its pidfd
    /// cannot be had (the caller falls back to polling).</summary>
    public Task? Watch(SpawnedProcess process)
    {
        var pidfd = LibC.pidfd_open(process.Pid, 0);
        if (pidfd < 0)
        {
            return null;
        }

        return Add(pidfd, new Watched(process, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
    }

    /// <summary>
    /// A task that completes once <paramref name="pid"/> — a process that is not our child (an app worker forked by its
    /// loader) — has exited; it is not reaped here (its parent does that). A pidfd polls readable when the process
    /// terminates whoever its parent is (pidfd_open(2)). Completed at once when the pid is already gone (ESRCH); null
    /// when no pidfd can be had otherwise.
    /// </summary>
    public Task? Watch(int pid)
    {
        var pidfd = LibC.pidfd_open(pid, 0);
        if (pidfd < 0)
        {
            return Marshal.GetLastPInvokeError() == LibC.ESrch ? Task.CompletedTask : null;
        }

        return Add(pidfd, new Watched(null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
    }

    private Task? Add(int pidfd, Watched watched)
    {
        _watched[pidfd] = watched;
        var ev = stackalloc byte[16];
        *(uint*)ev = LibC.EpollIn;
        *(long*)(ev + LibC.EpollDataOffset) = pidfd;
        if (LibC.epoll_ctl(_epoll, LibC.EpollCtlAdd, pidfd, ev) != 0)
        {
            _watched.TryRemove(pidfd, out _);
            LibC.close(pidfd);
            return null;
        }

        return watched.Exited.Task;
    }

    private static ChildExitWatcher? TryCreate()
    {
        try
        {
            // Probe pidfd_open on ourselves: ENOSYS on old kernels, a missing symbol on old glibc.
            var self = LibC.pidfd_open(Environment.ProcessId, 0);
            if (self < 0)
            {
                return null;
            }

            LibC.close(self);
            var epoll = LibC.epoll_create1(LibC.EpollCloexec);
            return epoll < 0 ? null : new ChildExitWatcher(epoll);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private void Run()
    {
        var size = LibC.EpollEventSize;
        var events = stackalloc byte[MaxEvents * 16];
        while (true)
        {
            var n = LibC.epoll_wait(_epoll, events, MaxEvents, -1);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.EIntr)
                {
                    continue;
                }

                return;
            }

            for (var i = 0; i < n; i++)
            {
                var pidfd = (int)*(long*)(events + (i * size) + LibC.EpollDataOffset);
                if (_watched.TryRemove(pidfd, out var watched))
                {
                    LibC.epoll_ctl(_epoll, LibC.EpollCtlDel, pidfd, null);
                    LibC.close(pidfd);
                    watched.Process?.TryReap();
                    watched.Exited.TrySetResult();
                }
            }
        }
    }

    private sealed record Watched(SpawnedProcess? Process, TaskCompletionSource Exited);
}
