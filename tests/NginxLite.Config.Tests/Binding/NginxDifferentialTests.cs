using System.Diagnostics;
using NginxLite.Config.Binding;
using NginxLite.Config.Tests.TestSupport;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Binding;

/// <summary>First error of <c>nginx -t</c> (Debian's 1.22.1 at /usr/sbin/nginx) against the binder's, directive by directive.</summary>
public class NginxDifferentialTests
{
    private const string Nginx = "/usr/sbin/nginx";

    [Theory]
    [InlineData("sendfile yes;")]
    [InlineData("sendfile;")]
    [InlineData("foo_bar 1;")]
    [InlineData("server_tokens maybe;")]
    [InlineData("client_max_body_size 10q;")]
    [InlineData("keepalive_timeout 5x;")]
    [InlineData("proxy_read_timeout 1h 30m;")]
    [InlineData("root /a; root /b;")]
    [InlineData("root /a; alias /b/;")]
    [InlineData("try_files $uri =404; try_files $uri =404;")]
    [InlineData("add_header A b; add_header C d;")]
    [InlineData("rewrite ^/(x /y;")]
    [InlineData("rewrite \"^/(?P<n>x)$\" /y;")]
    [InlineData("location ~ \"^/x)\" { }")]
    [InlineData("location x /y { }")]
    [InlineData("events { }")]
    [InlineData("user nobody;")]
    [InlineData("gzip_comp_level x;")]
    [InlineData("expires 1h; expires 2h;")]
    [InlineData("proxy_buffers x 8k;")]
    public void Bind_InLocation_FirstErrorMatchesNginx(string directive)
    {
        if (!File.Exists(Nginx))
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("nginxlite-diff-").FullName;
        try
        {
            var file = Path.Combine(dir, "nginx.conf");
            var text = $"events {{}}\nhttp {{\nserver {{\nlisten 127.0.0.1:18097;\nlocation / {{\n{directive}\n}}\n}}\n}}\n";
            File.WriteAllText(file, text);
            var psi = new ProcessStartInfo(Nginx, ["-t", "-q", "-c", file, "-p", dir + "/", "-e", Path.Combine(dir, "err.log")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var nginxFirst = stderr.Split('\n').FirstOrDefault(l => l.StartsWith("nginx: [emerg]", StringComparison.Ordinal))?["nginx: ".Length..];

            var bag = new DiagnosticBag();
            ConfigBinder.Bind(TestConfigText.Parse(text, file), Bind.Quiet, bag);
            var ours = bag.InNginxOrder().FirstOrDefault(d => d.IsError)?.ToString();
            Assert.Equal(nginxFirst, ours);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
