using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace NginxLite.Server.Hosting;

/// <summary>
/// nginx's signal contract as the host's <see cref="IHostLifetime"/> (replacing ConsoleLifetime, which stops on
/// SIGQUIT the way it stops on SIGTERM): QUIT graceful stop, TERM/INT fast stop, HUP reload, USR1 reopen logs.
/// Handlers are installed before any listener is bound, so a signal sent as soon as the pid file exists is handled.
/// </summary>
public sealed class NginxLifetime(IHostApplicationLifetime application, NginxLiteHostedService service) : IHostLifetime, IDisposable
{
    // Linux: SIGUSR1 has no PosixSignal member; PosixSignalRegistration takes the raw number.
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    // HUP, INT, QUIT, USR1, TERM: the signals registered below, by number.
    private static readonly int[] HandledSignals = [1, 2, 3, 10, 15];

    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _stopping;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        // A shell starts background jobs with SIGINT and SIGQUIT ignored, nohup starts its command with SIGHUP ignored,
        // and the runtime then leaves them ignored; nginx installs its handlers regardless, so put the default back
        // before registering ours. Only then: when they were not ignored the runtime has already installed its own
        // handler, and resetting it would make the registration below a no-op (the signal would then kill the process).
        foreach (var signal in HandledSignals)
        {
            Unignore(signal);
        }

        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => Stop(c, graceful: true)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, graceful: false)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, graceful: false)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            _ = service.ReloadAsync();
        }));
        _registrations.Add(PosixSignalRegistration.Create(SigUsr1, c =>
        {
            c.Cancel = true;
            service.ReopenLogs();
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var r in _registrations)
        {
            r.Dispose();
        }

        _registrations.Clear();
    }

    private void Stop(PosixSignalContext context, bool graceful)
    {
        context.Cancel = true;
        var first = Interlocked.Exchange(ref _stopping, 1) == 0;
        if (!graceful)
        {
            // TERM/INT, also after a QUIT: drop what is still in flight.
            service.ForceFastStop();
        }
        else if (first)
        {
            service.GracefulStop = true;
        }

        application.StopApplication();
    }

    private static void Unignore(int signal)
    {
        // struct sigaction (152 bytes on x86_64/arm64 glibc) starts with the handler; SIG_IGN is 1.
        var current = new byte[256];
        if (SigAction(signal, 0, current) == 0 && BitConverter.ToInt64(current, 0) == 1)
        {
            Signal(signal, 0);
        }
    }

    [DllImport("libc", EntryPoint = "sigaction")]
    private static extern int SigAction(int signal, nint action, byte[] oldAction);

    // Blittable arguments only: no marshalling stub, so DllImport is as cheap as LibraryImport (and needs no unsafe).
    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
