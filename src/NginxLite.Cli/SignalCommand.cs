using System.Runtime.InteropServices;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Cli;

/// <summary><c>-s stop|quit|reload|reopen</c>: read the pid file named by the config and signal that process, as nginx does.</summary>
internal static partial class SignalCommand
{
    // Linux signal numbers (x86_64 and arm64 agree on these).
    private const int SigHup = 1;
    private const int SigQuit = 3;
    private const int SigUsr1 = 10;
    private const int SigTerm = 15;

    public const string DefaultPidFile = "logs/nginxlite.pid";

    public static int Run(string signal, string configFile, string prefix, CommandLineOptions options, ErrorLogSink log)
    {
        var pidFile = PidFilePath(configFile, prefix, options);
        string text;
        try
        {
            text = File.ReadAllText(pidFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "2: No such file or directory" : e.Message;
            log.Write(new Diagnostic(Severity.Error, $"open() \"{pidFile}\" failed ({reason})", null, 0));
            return 1;
        }

        if (!int.TryParse(text.Trim(), out var pid) || pid <= 0)
        {
            log.Write(new Diagnostic(Severity.Error, $"invalid PID number \"{text.Trim()}\" in \"{pidFile}\"", null, 0));
            return 1;
        }

        var number = signal switch
        {
            "stop" => SigTerm,
            "quit" => SigQuit,
            "reload" => SigHup,
            _ => SigUsr1,
        };
        if (Kill(pid, number) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            log.Write(new Diagnostic(Severity.Alert, $"kill({pid}, {number}) failed ({errno}: {Marshal.GetPInvokeErrorMessage(errno)})", null, 0));
            return 1;
        }

        return 0;
    }

    /// <summary>The <c>pid</c> directive of the main context (last one wins for -g), else the default, prefix-relative.</summary>
    internal static string PidFilePath(string configFile, string prefix, CommandLineOptions options)
    {
        var bag = new DiagnosticBag();
        var load = new LoadOptions { ConfigDirectory = Path.GetDirectoryName(configFile), GlobalDirectives = options.GlobalDirectives };
        var document = ConfigLoader.Load(configFile, load, bag);
        var pid = document.Directives.LastOrDefault(d => d.Name == "pid" && d.Arguments.Count == 1)?.Arg(0) ?? DefaultPidFile;
        return Path.IsPathRooted(pid) ? pid : prefix + pid;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
