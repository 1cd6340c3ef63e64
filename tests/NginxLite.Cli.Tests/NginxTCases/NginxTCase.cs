namespace NginxLite.Cli.Tests.NginxTCases;

/// <summary>One case of ../shared/corpus/nginx-t-cases with what real nginx 1.22.1 printed for it.</summary>
/// <param name="Name">File name, e.g. <c>02-unknown-directive.conf</c>.</param>
/// <param name="WithErrorLog">stderr of <c>nginx -t -c FILE -e LOG</c> (the nginx.org form), <c>$CASES</c> kept.</param>
/// <param name="Quiet">stderr of <c>nginx -t -q</c>, timestamped lines turned into the nginx.org form.</param>
/// <param name="ExitCode">nginx's exit code.</param>
public sealed record NginxTCase(string Name, IReadOnlyList<string> WithErrorLog, IReadOnlyList<string> Quiet, int ExitCode)
{
    public override string ToString() => Name;
}
