using System.Buffers;
using System.Text;
using NginxLite.Protocols.Cgi;

namespace NginxLite.Protocols.Tests.Cgi;

/// <summary>RFC 3875 §6 header blocks, fed at every split point and one byte per segment, as Kestrel's parser tests do.</summary>
public class CgiResponseHeaderReaderTests
{
    private const string Full = "Status: 404 Not Here\r\nContent-Type: text/plain\nX-A: 1\r\nSet-Cookie: a=b\n\r\nbody";

    [Fact]
    public void Read_WholeBlock_SplitsCgiFieldsFromOthers()
    {
        var (head, consumed) = ReadAll(Full);
        Assert.True(head.IsComplete);
        Assert.Equal(404, head.Status);
        Assert.Equal("Not Here", head.Reason);
        Assert.Equal("text/plain", head.ContentType);
        Assert.Equal([new("X-A", "1"), new("Set-Cookie", "a=b")], head.Fields);
        Assert.Equal(Full.Length - 4, consumed);
    }

    [Fact]
    public void Read_EveryPrefix_NeverConsumesAPartialLine()
    {
        var bytes = Encoding.ASCII.GetBytes(Full);
        for (var n = 0; n <= bytes.Length; n++)
        {
            var head = new CgiResponseHead();
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, n));
            var done = CgiResponseHeaderReader.TryRead(ref reader, head);
            var lastLf = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(n - 1, 0));
            var headEnd = Full.IndexOf("\n\r\n", StringComparison.Ordinal) + 3;
            Assert.Equal(n >= headEnd, done);
            Assert.Equal(done ? headEnd : (n == 0 || lastLf < 0 ? 0 : lastLf + 1), reader.Consumed);
        }
    }

    [Fact]
    public void Read_EverySplitPoint_ResumesToTheSameResult()
    {
        var bytes = Encoding.ASCII.GetBytes(Full);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var head = new CgiResponseHead();
            var first = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, split));
            CgiResponseHeaderReader.TryRead(ref first, head);
            var rest = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, (int)first.Consumed, bytes.Length - (int)first.Consumed));
            Assert.True(CgiResponseHeaderReader.TryRead(ref rest, head) || head.IsComplete);
            Assert.Equal(404, head.Status);
            Assert.Equal("text/plain", head.ContentType);
            Assert.Equal(2, head.Fields.Count);
        }
    }

    [Fact]
    public void Read_OneBytePerSegment_SameResult()
    {
        var head = new CgiResponseHead();
        var reader = new SequenceReader<byte>(Segments.OneBytePerSegment(Encoding.ASCII.GetBytes(Full)));
        Assert.True(CgiResponseHeaderReader.TryRead(ref reader, head));
        Assert.Equal(404, head.Status);
        Assert.Equal("text/plain", head.ContentType);
        Assert.Equal(Encoding.ASCII.GetBytes("body"), reader.UnreadSequence.ToArray());
    }

    [Theory]
    [InlineData("Location: /other?x=1\n\n", true)]
    [InlineData("Location: http://example.com/\n\n", false)]
    [InlineData("Status: 301\nLocation: /moved\n\n", false)]
    public void Read_Location_LocalOnlyForAPathWithoutStatus(string text, bool local)
    {
        var (head, _) = ReadAll(text);
        Assert.NotNull(head.Location);
        Assert.Equal(local, head.IsLocalRedirect);
    }

    [Fact]
    public void Read_NphStatusLine_IsTheStatus()
    {
        var (head, _) = ReadAll("HTTP/1.1 203 Partial Truth\r\nContent-Type: text/plain\r\nStatus: 500\r\n\r\n");
        Assert.True(head.NphStatusLine);
        Assert.Equal(203, head.Status);
        Assert.Equal("Partial Truth", head.Reason);
        Assert.Contains(head.Fields, f => f.Key == "Status"); // after a status line, "Status" is just a field
    }

    [Fact]
    public void Read_StatusWithoutReason_HasNullReason()
    {
        var (head, _) = ReadAll("Status:204\n\n");
        Assert.Equal(204, head.Status);
        Assert.Null(head.Reason);
    }

    [Theory]
    [InlineData("<html>hello</html>\n\n", CgiHeaderError.InvalidHeaderLine)]
    [InlineData(": empty name\n\n", CgiHeaderError.InvalidHeaderLine)]
    [InlineData("Bad Name: x\n\n", CgiHeaderError.InvalidHeaderLine)]
    [InlineData("Status: abc\n\n", CgiHeaderError.InvalidStatus)]
    [InlineData("Status: 20\n\n", CgiHeaderError.InvalidStatus)]
    [InlineData("Status: 2000\n\n", CgiHeaderError.InvalidStatus)]
    [InlineData("HTTP/1.1 OK\n\n", CgiHeaderError.InvalidStatusLine)]
    public void Read_Malformed_ThrowsWithReason(string text, CgiHeaderError reason)
    {
        var e = Assert.Throws<CgiProtocolException>(() => ReadAll(text));
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void Read_CountsHeaderBytes()
    {
        var (head, _) = ReadAll("A: 1\r\nB: 2\n\n");
        Assert.Equal(12, head.HeaderBytes);
    }

    private static (CgiResponseHead Head, long Consumed) ReadAll(string text)
    {
        var head = new CgiResponseHead();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
        CgiResponseHeaderReader.TryRead(ref reader, head);
        return (head, reader.Consumed);
    }
}
