using System.Text;
using NginxLite.Server.Http;

namespace NginxLite.Server.Tests;

/// <summary>ngx_http_autoindex_module's markup: sizes, truncation at 50 bytes, escaping, order.</summary>
public class AutoIndexListingTests
{
    private static readonly DateTime When = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static AutoIndexListing.Entry File(string name, long size = 1) => new(Encoding.UTF8.GetBytes(name), false, true, When, size);

    private static AutoIndexListing.Entry Dir(string name) => new(Encoding.UTF8.GetBytes(name), true, false, When, 4096);

    [Theory]
    [InlineData(0, "      0")]
    [InlineData(9999, "   9999")]
    [InlineData(10751, "    10K")]
    [InlineData(10752, "    11K")]
    [InlineData(1572864, "     2M")]
    [InlineData(1572863, "     1M")]
    public void SizeColumn_Approximate_RoundsAsNginx(long size, string expected) =>
        Assert.Equal(expected, AutoIndexListing.SizeColumn(File("f", size), exactSize: false));

    [Fact]
    public void SizeColumn_Exact_Width19AndDashForDirectories()
    {
        Assert.Equal("               1234", AutoIndexListing.SizeColumn(File("f", 1234), exactSize: true));
        Assert.Equal("                  -", AutoIndexListing.SizeColumn(Dir("d"), exactSize: true));
        Assert.Equal("      -", AutoIndexListing.SizeColumn(Dir("d"), exactSize: false));
    }

    [Fact]
    public void Html_LongAndEscapedNames_TruncatedAt47BytesAndPadded()
    {
        var html = Encoding.UTF8.GetString(AutoIndexListing.Html("/a&b/"u8.ToArray(),
            [Dir("sub"), File(new string('x', 60)), File("a<b")], exactSize: true, TimeSpan.Zero));

        Assert.StartsWith("<html>\r\n<head><title>Index of /a&amp;b/</title></head>\r\n<body>\r\n<h1>Index of /a&amp;b/</h1><hr><pre><a href=\"../\">../</a>\r\n", html);
        Assert.Contains("<a href=\"sub/\">sub/</a>" + new string(' ', 46) + " 02-Jan-2024 03:04                   -\r\n", html);
        Assert.Contains(">" + new string('x', 47) + "..&gt;</a> 02-Jan-2024 03:04", html);
        Assert.Contains("<a href=\"a%3Cb\">a&lt;b</a>" + new string(' ', 47) + " ", html);
        Assert.EndsWith("</pre><hr></body>\r\n</html>\r\n", html);
    }

    [Fact]
    public void Json_Entries_NginxShape()
    {
        var json = Encoding.UTF8.GetString(AutoIndexListing.Json([Dir("d"), File("q\"f", 5)], "cb"));

        Assert.Equal("/* callback */\r\ncb([\r\n{ \"name\":\"d\", \"type\":\"directory\", \"mtime\":\"Tue, 02 Jan 2024 03:04:05 GMT\" },"
            + "\r\n{ \"name\":\"q\\\"f\", \"type\":\"file\", \"mtime\":\"Tue, 02 Jan 2024 03:04:05 GMT\", \"size\":5 }\r\n]);", json);
        Assert.Equal("[\r\n]", Encoding.UTF8.GetString(AutoIndexListing.Json([], null)));
    }

    [Fact]
    public void Xml_Entries_NginxShape() =>
        Assert.Equal("<?xml version=\"1.0\"?>\r\n<list>\r\n<file mtime=\"2024-01-02T03:04:05Z\" size=\"5\">a&amp;b</file>\r\n</list>\r\n",
            Encoding.UTF8.GetString(AutoIndexListing.Xml([File("a&b", 5)])));

    [Fact]
    public void Compare_DirectoriesFirstThenBytes()
    {
        var list = new List<AutoIndexListing.Entry> { File("b"), File("B"), Dir("z"), File("ü"), Dir("A") };
        list.Sort(AutoIndexListing.Compare);
        Assert.Equal(["A", "z", "B", "b", "ü"], list.Select(e => Encoding.UTF8.GetString(e.Name)));
    }

    [Theory]
    [InlineData("cb_1.x", true)]
    [InlineData("bad-name", false)]
    [InlineData("a b", false)]
    public void ValidCallback_AsNginx(string callback, bool valid) => Assert.Equal(valid, AutoIndexListing.ValidCallback(callback));
}
