using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using NginxLite.Cli.Apps.Stats;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>The stats JSON has every key real uWSGI's stats server writes (what uwsgitop and collectors read).</summary>
public sealed class StatsJsonTests
{
    private static readonly StatsSnapshot Sample = new(100, 0, 0, "/srv", [new StatsWorker(1, 101, 7, true, 4096, 1_700_000_000, 0)]) { Sockets = [new StatsSocket("app.sock")] };

    [Fact]
    public void Write_Worker_UwsgitopFields()
    {
        using var json = JsonDocument.Parse(StatsJson.Write(Sample));
        var worker = json.RootElement.GetProperty("workers")[0];

        Assert.Equal((1, 101, 7, "busy", 4096), (worker.GetProperty("id").GetInt32(), worker.GetProperty("pid").GetInt32(), worker.GetProperty("requests").GetInt32(), worker.GetProperty("status").GetString(), worker.GetProperty("rss").GetInt32()));
        Assert.Equal(0, worker.GetProperty("avg_rt").GetInt32());
        Assert.Equal(100, json.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Write_KeySets_SameAsRealUwsgiStatsServer()
    {
        using var dir = new TempDir();
        dir.File("x.py", "def app(e, s):\n    s('200 OK', [])\n    return [b'x']\n");
        var stats = Path.Combine(dir.Path, "stats.sock");
        var psi = new ProcessStartInfo("/usr/bin/uwsgi", ["--plugin", "python3", "--module", "x:app", "--socket", Path.Combine(dir.Path, "app.sock"), "--stats", stats, "--master", "--processes", "1"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var uwsgi = Process.Start(psi)!;
        try
        {
            uwsgi.BeginErrorReadLine();
            uwsgi.BeginOutputReadLine();
            var real = await ReadStats(stats);
            using var ours = JsonDocument.Parse(StatsJson.Write(Sample));

            Assert.Equal(Keys(real.RootElement), Keys(ours.RootElement));
            Assert.Equal(Keys(real.RootElement.GetProperty("workers")[0]), Keys(ours.RootElement.GetProperty("workers")[0]));
            Assert.Equal(Keys(real.RootElement.GetProperty("workers")[0].GetProperty("cores")[0]), Keys(ours.RootElement.GetProperty("workers")[0].GetProperty("cores")[0]));
            Assert.Equal(Keys(real.RootElement.GetProperty("sockets")[0]), Keys(ours.RootElement.GetProperty("sockets")[0]));
        }
        finally
        {
            // SIGINT: uWSGI's master stops its workers and exits (SIGKILL would orphan them).
            using (var kill = Process.Start("/bin/kill", ["-INT", uwsgi.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }

            await uwsgi.WaitForExitAsync();
        }
    }

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static async Task<JsonDocument> ReadStats(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(path));
                using var stream = new NetworkStream(s);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                return JsonDocument.Parse(buffer.ToArray());
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100);
            }
        }
    }
}
