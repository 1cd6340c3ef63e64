using System.Text.Json;
using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Syntax;

/// <summary><c>-T --json</c>: crossplane's parse payload, one entry per file, includes by index, checker errors by file.</summary>
public sealed class CrossplanePayloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-crossplane-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private JsonElement Payload(string main)
    {
        var load = new LoadOptions { ConfigDirectory = _dir };
        var result = ConfigTest.Run(main, load, new BindOptions { Prefix = _dir + "/" });
        using var stream = new MemoryStream();
        CrossplanePayload.Write(main, load, result.Diagnostics, stream);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    [Fact]
    public void FilesIncludesAndDirectives_InCrossplanesShape()
    {
        var main = Write("nginx.conf", """
            events { worker_connections 64; }
            http {
                include conf.d/*.conf;
                server {
                    listen 127.0.0.1:8080;
                    location / { return 200 "a b"; }
                }
            }
            """);
        Write("conf.d/b.conf", "server_tokens off;\n");
        Write("conf.d/a.conf", "# comment\ndefault_type text/plain;\n");

        var p = Payload(main);
        Assert.Equal("ok", p.GetProperty("status").GetString());
        Assert.Equal(0, p.GetProperty("errors").GetArrayLength());
        var config = p.GetProperty("config");
        Assert.Equal(3, config.GetArrayLength());
        Assert.Equal(main, config[0].GetProperty("file").GetString());
        Assert.EndsWith("conf.d/a.conf", config[1].GetProperty("file").GetString()); // glob results sorted, as nginx reads them
        Assert.EndsWith("conf.d/b.conf", config[2].GetProperty("file").GetString());

        var parsed = config[0].GetProperty("parsed");
        Assert.Equal("events", parsed[0].GetProperty("directive").GetString());
        Assert.Equal(1, parsed[0].GetProperty("line").GetInt32());
        Assert.Equal("64", parsed[0].GetProperty("block")[0].GetProperty("args")[0].GetString());
        var http = parsed[1].GetProperty("block");
        Assert.Equal("include", http[0].GetProperty("directive").GetString());
        Assert.Equal(3, http[0].GetProperty("line").GetInt32());
        Assert.Equal(["conf.d/*.conf"], http[0].GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal([1, 2], http[0].GetProperty("includes").EnumerateArray().Select(i => i.GetInt32()));
        Assert.False(http[0].TryGetProperty("block", out _));
        var ret = http[1].GetProperty("block")[1].GetProperty("block")[0];
        Assert.Equal(["200", "a b"], ret.GetProperty("args").EnumerateArray().Select(a => a.GetString())); // quotes removed
        Assert.Equal(2, config[1].GetProperty("parsed")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public void CheckerError_IsReportedOnTheFileItNames()
    {
        var main = Write("nginx.conf", "events { }\nhttp { include extra.conf; }\n");
        Write("extra.conf", "server {\n    listen 127.0.0.1:8080;\n    bogus_directive on;\n}\n");

        var p = Payload(main);
        Assert.Equal("failed", p.GetProperty("status").GetString());
        var error = p.GetProperty("errors")[0];
        Assert.EndsWith("extra.conf", error.GetProperty("file").GetString());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("unknown directive \"bogus_directive\"", error.GetProperty("error").GetString());
        var config = p.GetProperty("config");
        Assert.Equal("ok", config[0].GetProperty("status").GetString());
        Assert.Equal("failed", config[1].GetProperty("status").GetString());
        Assert.Equal(3, config[1].GetProperty("errors")[0].GetProperty("line").GetInt32());
    }
}
