using NginxLite.Handlers.Privileged;

namespace NginxLite.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // The root helper (docs/cgi.md, "Privileged helper"): a hidden mode of this same binary, started by the server.
        if (args is [PrivilegedHelper.Flag, ..])
        {
            return PrivilegedHelperLoop.Main(args[1..], Console.Error, NginxLite.Server.Hosting.HelperGrantsReader.Read);
        }

        RuntimeTuning.Apply();
        PrivilegedHelper.Command = HelperCommand();

        // fmt works on bytes (a Latin-1 config must come out byte for byte), so it gets the raw standard streams.
        return args is ["fmt", ..]
            ? FmtCommand.Run(args[1..], Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error)
            : CommandLine.Run(args, Console.Out, Console.Error);
    }

    /// <summary>How to start this binary again: the apphost, or <c>dotnet nginxlite.dll</c> when run that way.</summary>
    private static string[]? HelperCommand()
    {
        var exe = Environment.ProcessPath;
        if (exe is null)
        {
            return null;
        }

        return Path.GetFileNameWithoutExtension(exe) == "dotnet"
            ? [exe, Path.Combine(AppContext.BaseDirectory, "nginxlite.dll")]
            : [exe];
    }
}
