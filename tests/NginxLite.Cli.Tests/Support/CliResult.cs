namespace NginxLite.Cli.Tests.Support;

/// <summary>Exit code and output of one command-line run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
