using System.Buffers;
using System.Text;
using NginxLite.Protocols.Cgi;

namespace NginxLite.Protocols.Tests.Cgi;

public class ResponseHeadParserTests
{
    private static ResponseHead? Parse(string text, bool statusLine, out long consumed)
    {
        ResponseHeadParser.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), statusLine, out var head, out consumed);
        return head;
    }

    [Fact]
    public void TryParse_StatusHeader_GivesStatusAndReason()
    {
        var head = Parse("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nbody", false, out var consumed);
        Assert.NotNull(head);
        Assert.Equal((404, "Not Found"), (head.Status, head.Reason));
        Assert.Equal(51, consumed);
    }

    [Fact]
    public void TryParse_LocationWithoutStatus_Is302()
    {
        var head = Parse("Location: /x\n\n", false, out _);
        Assert.Equal((302, "Moved Temporarily"), (head!.Status, head.Reason));
    }

    [Fact]
    public void TryParse_NoStatus_Is200()
    {
        Assert.Equal(200, Parse("X-A: 1\r\n\r\n", false, out _)!.Status);
    }

    [Fact]
    public void TryParse_RepeatedSetCookie_KeepsEveryLine()
    {
        var head = Parse("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n", false, out _)!;
        Assert.Equal([new("Set-Cookie", "a=1"), new("Set-Cookie", "b=2")], head.Headers);
    }

    [Fact]
    public void TryParse_InvalidStatus_Throws()
    {
        var e = Assert.Throws<ResponseHeadException>(() => Parse("Status: abc\r\n\r\n", false, out _));
        Assert.Equal("upstream sent invalid status \"abc\"", e.Message);
    }

    [Fact]
    public void TryParse_HttpStatusLine_WhenAllowed()
    {
        var head = Parse("HTTP/1.1 201 Created\r\nX-A: 1\r\n\r\n", true, out _)!;
        Assert.Equal((201, "Created"), (head.Status, head.Reason));
        Assert.Equal([new("X-A", "1")], head.Headers);
    }

    [Fact]
    public void TryParse_NoStatusLineWhenAllowed_FallsBackToCgiHeaders()
    {
        var head = Parse("Status: 403 Forbidden\r\n\r\n", true, out _)!;
        Assert.Equal(403, head.Status);
    }

    [Theory]
    [InlineData("Status: 201 Created\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\nLocation: /x\r\n\r\nrest", false)]
    [InlineData("HTTP/1.0 500 Oops\r\nContent-Length: 3\r\n\r\nabc", true)]
    public void TryParse_EveryPrefix_IncompleteAndEverySplit_Same(string text, bool statusLine)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var whole = Parse(text, statusLine, out var consumed)!;
        Assert.Equal(end, consumed);
        for (var n = 0; n < end; n++)
        {
            Assert.False(ResponseHeadParser.TryParse(new ReadOnlySequence<byte>(bytes, 0, n), statusLine, out _, out _), $"prefix {n}");
        }

        for (var i = 1; i < bytes.Length; i++)
        {
            Assert.True(ResponseHeadParser.TryParse(SplitSequences.At(bytes, i), statusLine, out var head, out var c));
            Assert.Equal((whole.Status, whole.Reason, end), (head.Status, head.Reason, c));
            Assert.Equal(whole.Headers, head.Headers);
        }
    }
}
