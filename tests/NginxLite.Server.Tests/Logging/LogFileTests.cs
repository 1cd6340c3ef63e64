using NginxLite.Server.Logging;

namespace NginxLite.Server.Tests.Logging;

/// <summary>A full disk on a log (/dev/full answers every write with ENOSPC): the write is lost but reported, in
/// nginx's words and at most once a minute per file (ngx_http_log_write's error_log_time).</summary>
public class LogFileTests
{
    [Fact]
    public void WriteLine_DiskFull_ReportsOnceWithErrno()
    {
        using var file = new LogFile("/dev/full");

        var first = file.WriteLine("GET / 200");
        var second = file.WriteLine("GET / 200");

        Assert.NotNull(first);
        Assert.Equal("(28: No space left on device)", LogFile.DescribeFailure(first));
        Assert.Null(second);
    }

    [Fact]
    public void WriteLine_WritableFile_ReportsNothingAndAppends()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nginxlite-logfile-{Guid.NewGuid():N}.log");
        try
        {
            using (var file = new LogFile(path))
            {
                Assert.Null(file.WriteLine("one"));
                Assert.Null(file.WriteLine("two"));
            }

            Assert.Equal("one\ntwo\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
