using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams.AccelRedirect;

/// <summary>
/// The $upstream_* variables of a request that reaches upstreams in two phases (an X-Accel-Redirect or an error_page
/// to a location with another proxy_pass): nginx 1.22.1 joins the phases with " : " and the attempts of one phase
/// with ", " (ngx_http_upstream_addr_variable). The access-log lines of nginx and nginxlite must be the same, times
/// masked as T (only whether a time was set is compared).
/// </summary>
public sealed class UpstreamPhasesTests(UpstreamPhasesPair fixture) : IClassFixture<UpstreamPhasesPair>
{
    private string Line(ServerProcess server, string target)
    {
        var r = RawHttpClient.Send(server.Port, Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), false, TimeSpan.FromSeconds(20));
        Assert.True(r.Error is null, $"{server.Flavor} {target}: {r.Error}");
        var log = Path.Combine(server.Prefix, "logs", "phases.log");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var line = File.Exists(log) ? File.ReadAllLines(log).LastOrDefault(l => l.StartsWith(target + " ", StringComparison.Ordinal)) : null;
            if (line is not null)
            {
                return $"{r.Status} {Encoding.Latin1.GetString(r.Body).TrimEnd()} | " + Regex.Replace(line, @"\b\d+\.\d{3}\b", "T");
            }

            Thread.Sleep(50);
        }

        throw new Xunit.Sdk.XunitException($"{server.Flavor}: no access-log line for {target}");
    }

    private string Both(string target)
    {
        var nginx = fixture.Mask(Line(fixture.Pair.Nginx!, target));
        var lite = fixture.Mask(Line(fixture.Pair.NginxLite, target));
        Assert.Equal(nginx, lite);
        return lite;
    }

    [Fact]
    public void UpstreamVariables_XAccelRedirectToAnotherProxy_PhasesJoinedWithColon()
    {
        Assert.Equal("200 second | /first/?xar=/second/a A : B|200 : 200|0 : 7|T : T|T : T|T : T", Both("/first/?xar=/second/a"));
    }

    [Fact]
    public void UpstreamVariables_RetryThenRedirect_CommaWithinPhaseColonBetween()
    {
        Assert.Equal("200 second | /retry/?xar=/second/b R, A : B|502, 200 : 200|0, 0 : 7|T, T : T|-, T : T|-, T : T", Both("/retry/?xar=/second/b"));
    }

    [Fact]
    public void UpstreamVariables_ErrorPageToAnotherProxy_PhasesJoinedWithColon()
    {
        Assert.Equal("200 second | /fail/ R : B|502 : 200|0 : 7|T : T|- : T|- : T", Both("/fail/"));
    }

    [Fact]
    public void UpstreamVariables_RedirectToStaticFile_OnePhaseOnly()
    {
        Assert.Equal("200 static | /first/?xar=/static.txt A|200|0|T|T|T", Both("/first/?xar=/static.txt"));
    }

    // "no live upstreams": nginx logs one entry for the group, with every $upstream_* variable filled (502, a
    // response time, length 0, no connect or header time), so the lists of the phases line up.
    [Fact]
    public void UpstreamVariables_OnlyServerDown_NoLiveUpstreamsEntryFilled()
    {
        Assert.Equal("200 second | /down/ down : B|502 : 200|0 : 7|T : T|- : T|- : T", Both("/down/"));
    }

    [Fact]
    public void UpstreamVariables_ServersFailedWithMaxFails1_NoLiveUpstreamsEntryFilled()
    {
        Assert.Equal("200 second | /flaky/?1 R, R : B|502, 502 : 200|0, 0 : 7|T, T : T|-, - : T|-, - : T", Both("/flaky/?1"));
        Assert.Equal("200 second | /flaky/?2 flaky : B|502 : 200|0 : 7|T : T|- : T|- : T", Both("/flaky/?2"));
    }
}
