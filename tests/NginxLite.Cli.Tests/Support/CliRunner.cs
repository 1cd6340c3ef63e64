namespace NginxLite.Cli.Tests.Support;

/// <summary>Runs the <c>nginxlite</c> command line in process and captures what it prints.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var rc = CommandLine.Run(args, stdout, stderr);
        return new CliResult(rc, stdout.ToString(), stderr.ToString());
    }
}
