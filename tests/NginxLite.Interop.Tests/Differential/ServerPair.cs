using NginxLite.TestSupport;
using System.Collections.Concurrent;
using System.Text;
using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;
using Xunit.Sdk;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// The reference server (always nginx) and a candidate serving the same <see cref="StaticSite"/>, started once per
/// test class. A candidate that does not start is remembered, not thrown from the fixture, so every row fails with
/// the same clear message instead of the runner's "fixture threw". A candidate that stops answering (three
/// timed-out requests) or exits during the run fails the remaining rows at once, so the table never hangs.
/// </summary>
public abstract class ServerPair : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private const int MaxTimeouts = 3;

    private readonly ConcurrentDictionary<string, (string? ETag, string? LastModified)> _validators = new();
    private int _candidateTimeouts;

    protected ServerPair(ServerFlavor candidate, Func<StaticSite, int, string>? candidateConfig = null)
    {
        Site = new StaticSite();
        try
        {
            Reference = ServerProcess.Start(ServerFlavor.Nginx, Site.NewPrefix("reference"), Site.Config);
        }
        catch
        {
            Site.Dispose();
            throw;
        }

        try
        {
            var config = candidateConfig ?? ((site, port) => site.Config(port));
            Candidate = ServerProcess.Start(candidate, Site.NewPrefix("candidate"), port => config(Site, port));
        }
        catch (Exception e) when (e is ServerStartException or FileNotFoundException or InvalidOperationException)
        {
            var exe = candidate == ServerFlavor.NginxLite && e is not FileNotFoundException ? $"executable: {NginxLiteExecutable.Find()}\n" : "";
            CandidateStartError = $"{candidate} could not serve the differential site, so no request was compared:\n{exe}{e.Message}";
        }
    }

    public StaticSite Site { get; }

    public ServerProcess Reference { get; }

    public ServerProcess? Candidate { get; }

    public string? CandidateStartError { get; }

    /// <summary>Sends the named request to both servers and fails with both responses when they differ.</summary>
    public void AssertSameResponse(string requestName)
    {
        var request = RequestTable.All[requestName];
        if (Candidate is null)
        {
            throw new XunitException(CandidateStartError);
        }

        if (Volatile.Read(ref _candidateTimeouts) >= MaxTimeouts)
        {
            throw new XunitException($"{Candidate.Flavor} stopped answering ({MaxTimeouts} requests timed out); not sent: {requestName}\n{Candidate.Describe()}");
        }

        var (etag, lastModified) = request.ValidatorsOf is { } path ? Validators(path) : (null, null);
        var a = ServedResponse.From(Reference, Send(Reference, request, etag, lastModified));
        var b = ServedResponse.From(Candidate, Send(Candidate, request, etag, lastModified));
        if (b.Response.Status == 0 && b.Response.Error?.StartsWith("no complete response", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _candidateTimeouts);
        }

        if (Candidate.HasExited)
        {
            throw new XunitException($"{Candidate.Flavor} exited while answering: {requestName}\n{Candidate.Describe()}");
        }

        // Documented differences are NginxLite's; the nginx-vs-nginx checks always compare everything.
        if (Candidate.Flavor == ServerFlavor.NginxLite && NginxLite.TestSupport.IntentionalDifferences.ForRequest(requestName) is { } expected)
        {
            AssertIntended(request, expected, a, b);
            return;
        }

        var diffs = ResponseComparer.Differences(a, b);
        if (diffs.Count > 0)
        {
            throw new XunitException(Report(request, diffs, a, b, etag, lastModified));
        }
    }

    private static void AssertIntended(HttpRequestCase request, IReadOnlyDictionary<string, string> expected, ServedResponse a, ServedResponse b)
    {
        var diffs = new List<string>();
        foreach (var (field, value) in expected)
        {
            var actual = field switch
            {
                "status" => b.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => b.Response.Header(field) ?? "(absent)",
            };
            if (actual != value)
            {
                diffs.Add($"{field}: docs/intentional-differences.tsv says {value}, {b.Server} answered {actual}");
            }
        }

        if (diffs.Count > 0)
        {
            throw new XunitException(Report(request, diffs, a, b, null, null));
        }
    }

    private RawResponse Send(ServerProcess server, HttpRequestCase request, string? etag, string? lastModified) =>
        RawHttpClient.Send(server.Port, request.Render(server.Port, etag, lastModified), request.IsHead, RequestTimeout);

    /// <summary>The ETag and Last-Modified nginx returns for a path, asked once per fixture.</summary>
    private (string? ETag, string? LastModified) Validators(string path) => _validators.GetOrAdd(path, p =>
    {
        var probe = new HttpRequestCase("validators " + p, "HEAD", p);
        var r = Send(Reference, probe, null, null);
        return (r.Header("ETag"), r.Header("Last-Modified"));
    });

    private static string Report(HttpRequestCase request, IReadOnlyList<string> diffs, ServedResponse a, ServedResponse b, string? etag, string? lastModified)
    {
        var sb = new StringBuilder();
        sb.Append("request \"").Append(request.Name).Append("\" differs:\n");
        foreach (var d in diffs)
        {
            sb.Append("  - ").Append(d).Append('\n');
        }

        sb.Append("request sent (to ").Append(a.Server).Append(", port ").Append(a.Port).Append("):\n    ")
          .Append(RawResponse.Escape(request.Render(a.Port, etag, lastModified), 600)).Append('\n');
        sb.Append(a.Server).Append(" (reference, port ").Append(a.Port).Append(") answered:\n").Append(a.Response.Dump()).Append('\n');
        sb.Append(b.Server).Append(" (candidate, port ").Append(b.Port).Append(") answered:\n").Append(b.Response.Dump()).Append('\n');
        return sb.ToString();
    }

    public void Dispose()
    {
        Candidate?.Dispose();
        Reference.Dispose();
        Site.Dispose();
        GC.SuppressFinalize(this);
    }
}
