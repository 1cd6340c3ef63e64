using System.Diagnostics;
using System.Globalization;
using NginxLite.Handlers.Posix;
using NginxLite.Routing.Apps;

namespace NginxLite.Apps;

/// <summary>
/// The command line of one worker, as the worker contract (notes/contract.md, docs/apps.md) fixes it: the interpreter
/// (VENV/bin/python3 with <c>virtualenv</c>, else /usr/bin/python3; /usr/bin/ruby for <c>rack</c>), the shim and its
/// options, a clean environment (PATH, LANG, PYTHONUNBUFFERED=1, the app's <c>env</c>), the working directory, and
/// the account (ProcessStartInfo.UserName sets uid, gid and groups on Linux; an explicit group other than the
/// user's own goes through setpriv(1), which ProcessStartInfo cannot express).
/// </summary>
internal static class WorkerCommand
{
    public const string DefaultPython = "/usr/bin/python3";
    public const string DefaultRuby = "/usr/bin/ruby";

    /// <param name="loader">lazy_apps off: the shim's <c>--loader</c> mode (loads the app, forks the workers); <paramref name="socket"/> is then its control socket.</param>
    public static ProcessStartInfo Build(AppSettings app, string shim, string socket, UnixAccount? account, bool openSocket, bool loader = false)
    {
        var interpreter = app.IsRack ? DefaultRuby
            : app.Virtualenv is { } venv ? Path.Combine(venv, "bin", "python3")
            : DefaultPython;
        var args = new List<string> { shim, "--socket", socket };
        if (app.IsRack)
        {
            args.AddRange(["--rackup", app.Rack!]);
        }
        else
        {
            if (app.Module is { } module)
            {
                args.AddRange(["--module", module]);
            }
            else
            {
                args.AddRange(["--wsgi-file", app.WsgiFile!]);
            }

            if (app.Callable is { } callable)
            {
                args.AddRange(["--callable", callable]);
            }

            foreach (var p in app.PythonPath)
            {
                args.AddRange(["--pythonpath", p]);
            }
        }

        args.AddRange(["--threads", Text(app.Threads), "--chdir", app.Chdir, "--listen-backlog", Text(app.ListenBacklog),
            "--buffer-size", Text(app.BufferSize)]);
        if (loader)
        {
            args.Add("--loader");
        }

        if (openSocket)
        {
            // The server will run as another user than the worker (it drops to `user` after start): it must still
            // be able to connect.
            args.AddRange(["--socket-mode", "0666"]);
        }

        var info = new ProcessStartInfo
        {
            FileName = interpreter,
            WorkingDirectory = app.Chdir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (account is not null && PrimaryGid(account.Name) is { } primary && primary != account.Gid)
        {
            info.FileName = "/usr/bin/setpriv";
            info.ArgumentList.Add("--reuid=" + Text(account.Uid));
            info.ArgumentList.Add("--regid=" + Text(account.Gid));
            info.ArgumentList.Add("--groups=" + string.Join(',', account.Groups.Select(g => Text(g))));
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(interpreter);
        }
        else if (account is not null)
        {
            info.UserName = account.Name;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = app.Virtualenv is { } v ? v + "/bin:/usr/local/bin:/usr/bin:/bin" : "/usr/local/bin:/usr/bin:/bin";
        info.Environment["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8";
        info.Environment["PYTHONUNBUFFERED"] = "1";
        if (app.Virtualenv is { } env)
        {
            info.Environment["VIRTUAL_ENV"] = env;
        }

        foreach (var e in app.Env)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                info.Environment[e[..eq]] = e[(eq + 1)..];
            }
        }

        return info;
    }

    private static uint? PrimaryGid(string user) => UnixAccount.TryResolve(user, null, out _)?.Gid;

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Text(uint n) => n.ToString(CultureInfo.InvariantCulture);
}
