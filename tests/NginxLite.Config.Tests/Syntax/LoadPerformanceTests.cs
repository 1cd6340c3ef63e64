using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Syntax;

public sealed class LoadPerformanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = SyntaxTestSupport.CreateTempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>1,000 servers with 10 locations each, written the way real sites are.</summary>
    internal static string LargeConfig()
    {
        var text = new StringBuilder("events { worker_connections 1024; }\nhttp {\n    include mime.types;\n    log_format main '$remote_addr - $remote_user [$time_local] \"$request\"';\n");
        for (int s = 0; s < 1000; s++)
        {
            text.Append($"    server {{\n        listen 80;\n        server_name site{s}.example.com www.site{s}.example.com;\n        root /srv/site{s}/public; # docroot\n");
            for (int l = 0; l < 10; l++)
            {
                text.Append($"        location ~ \"^/app{l}/(\\d{{3}})/(.*)$\" {{\n            proxy_pass http://127.0.0.1:{8000 + l};\n            proxy_set_header Host $host;\n            add_header X-Id \"{s}-{l}\" always;\n        }}\n");
            }

            text.Append("    }\n");
        }

        return text.Append("}\n").ToString();
    }

    [Fact]
    public void Load_TenThousandLocations_WellUnder100Milliseconds()
    {
        File.WriteAllText(Path.Combine(_dir, "mime.types"), "types { text/html html; }\n");
        var main = Path.Combine(_dir, "nginx.conf");
        File.WriteAllText(main, LargeConfig());

        ConfigDocument? document = null;
        var times = new List<double>();
        for (int i = 0; i < 15; i++)
        {
            // A real load starts from a clean heap (one per `nginxlite -t` or reload), not beside the last tree.
            document = null;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            document = ConfigLoader.Load(main, new LoadOptions(), new DiagnosticBag());
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Assert.Null(document!.SyntaxError);
        var servers = document.Directives[1].Block!.Where(d => d.Name == "server").ToList();
        Assert.Equal(1000, servers.Count);
        Assert.Equal(10_000, servers.Sum(s => s.Block!.Count(d => d.Name == "location")));

        // The median: the first runs are still JIT tier 0 and the machine is shared.
        times.Sort();
        double median = times[times.Count / 2];
        output.WriteLine($"{new FileInfo(main).Length / 1024} KB, {document.Directives[1].EndOrdinal} ordinals; load ms (sorted): {string.Join(", ", times.Select(t => t.ToString("F1")))}");
#if DEBUG
        const double limit = 500; // unoptimized JIT: this only catches a blow-up
#else
        const double limit = 100;
#endif
        Assert.True(median < limit, $"median load {median:F1} ms");
    }
}
