using System.Text;
using Xunit;
using Xunit.Abstractions;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Syntax;

public sealed class LargeConfigTests(ITestOutputHelper output) : IDisposable
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

    /// <summary>The big config loads completely. Its speed is measured, not asserted: tools/bench/config-test.sh.</summary>
    [Fact]
    public void Load_TenThousandLocations_EveryDirectiveRead()
    {
        File.WriteAllText(Path.Combine(_dir, "mime.types"), "types { text/html html; }\n");
        var main = Path.Combine(_dir, "nginx.conf");
        File.WriteAllText(main, LargeConfig());

        var document = ConfigLoader.Load(main, new LoadOptions(), new DiagnosticBag());

        Assert.Null(document.SyntaxError);
        var servers = document.Directives[1].Block!.Where(d => d.Name == "server").ToList();
        Assert.Equal(1000, servers.Count);
        Assert.Equal(10_000, servers.Sum(s => s.Block!.Count(d => d.Name == "location")));
        Assert.Equal(10_000, servers.Sum(s => s.Block!.Where(d => d.Name == "location").Sum(l => l.Block!.Count(d => d.Name == "add_header"))));
        output.WriteLine($"{new FileInfo(main).Length / 1024} KB, {document.Directives[1].EndOrdinal} ordinals");
    }
}
