namespace NginxLite.Server.Tests.Cgi;

/// <summary>Tests that fill the process-wide <c>cgi_max_procs</c> gate run alone: their blocked scripts hold slots that
/// the other CGI tests of this process (with a 2 s cgi_timeout) would otherwise wait for and answer 504.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CgiGateCollection
{
    public const string Name = "cgi_max_procs gate";
}
