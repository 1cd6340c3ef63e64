using System.Text;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// The guide's <c>fastcgi-php.conf</c> (../shared/examples/seed/), included as it is in a <c>server</c>, with only the
/// php-fpm socket path moved into a temp dir: PHP pages are served and SCRIPT_FILENAME is the script's path.
/// </summary>
public sealed class SeedExampleTests
{
    [Fact]
    public void FastCgiPhpConf_ServesPhpWithScriptFilename()
    {
        using var dir = new TempDir("nginxlite-seed-fcgi-");
        var www = dir.Dir("www");
        Backends.WritePhpScripts(www);
        using var fpm = Backends.StartPhpFpm(dir);
        var seed = File.ReadAllText(Path.Combine(RepoPaths.Seed, "fastcgi-php.conf"));
        Assert.Contains("unix:/var/run/php-fpm.sock", seed);
        var conf = dir.File("conf/fastcgi-php.conf", seed.Replace("/var/run/php-fpm.sock", fpm.Socket, StringComparison.Ordinal));
        // The seed says "include fastcgi_params;": relative to the main config's directory (PREFIX/conf), as nginx
        // resolves it; an installed nginxlite has conf/fastcgi_params there.
        File.Copy(Path.Combine(RepoPaths.Conf, "fastcgi_params"), Path.Combine(dir.Dir("nginxlite/conf"), "fastcgi_params"));
        using var pair = new UpstreamPair(dir, port => $$"""
            events {}
            http {
                server {
                    listen 127.0.0.1:{{port}};
                    root {{www}};
                    include {{conf}};
                }
            }
            """, withNginx: false);
        var hello = UpstreamClient.Get(pair.NginxLite.Port, "/hello.php");
        Assert.Equal(200, hello.Status);
        Assert.Equal("Hello, PHP!\n", Encoding.ASCII.GetString(hello.Body));
        var p = UpstreamClient.Params(UpstreamClient.Get(pair.NginxLite.Port, "/dump.php"));
        Assert.Equal(Path.Combine(www, "dump.php"), p["SCRIPT_FILENAME"]);
    }
}
