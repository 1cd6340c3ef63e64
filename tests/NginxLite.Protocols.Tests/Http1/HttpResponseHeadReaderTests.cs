using System.Buffers;
using System.Text;
using NginxLite.Protocols.Http1;

namespace NginxLite.Protocols.Tests.Http1;

public class HttpResponseHeadReaderTests
{
    private const string Head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-A:  spaced  \r\nConnection: keep-alive\r\n\r\n";

    private static (ReadStatus Status, HttpResponseHead Head, long Consumed, string? Error) Read(ReadOnlySequence<byte> bytes)
    {
        var head = new HttpResponseHead();
        var reader = new SequenceReader<byte>(bytes);
        var status = HttpResponseHeadReader.TryRead(ref reader, head, out var error);
        return (status, head, reader.Consumed, error);
    }

    [Fact]
    public void TryRead_WholeHead_ParsesStatusHeadersAndFraming()
    {
        var (status, head, consumed, _) = Read(new(Encoding.Latin1.GetBytes(Head + "hello")));
        Assert.Equal(ReadStatus.Complete, status);
        Assert.Equal(Head.Length, consumed);
        Assert.Equal(11, head.Version);
        Assert.Equal(200, head.Status);
        Assert.Equal("OK", head.Reason);
        Assert.Equal(5, head.ContentLength);
        Assert.False(head.ConnectionClose);
        Assert.Equal("spaced", head.Get("x-a"));
        Assert.Equal(4, head.Headers.Count);
    }

    [Fact]
    public void TryRead_EveryPrefix_IsIncompleteAndResumes()
    {
        var bytes = Encoding.Latin1.GetBytes(Head);
        for (var n = 0; n < bytes.Length; n++)
        {
            var head = new HttpResponseHead();
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, n));
            Assert.Equal(ReadStatus.Incomplete, HttpResponseHeadReader.TryRead(ref reader, head, out _));

            // Feed the rest from where the reader stopped (whole lines only were consumed).
            var rest = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, (int)reader.Consumed, bytes.Length - (int)reader.Consumed));
            Assert.Equal(ReadStatus.Complete, HttpResponseHeadReader.TryRead(ref rest, head, out _));
            Assert.Equal(200, head.Status);
            Assert.Equal(4, head.Headers.Count);
        }
    }

    [Fact]
    public void TryRead_SplitAtEveryOffset_SameResult()
    {
        var bytes = Encoding.Latin1.GetBytes(Head);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var (status, head, consumed, _) = Read(Segments.Split(bytes, cut));
            Assert.Equal(ReadStatus.Complete, status);
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal("spaced", head.Get("X-A"));
        }

        Assert.Equal(ReadStatus.Complete, Read(Segments.OneBytePerSegment(bytes)).Status);
    }

    [Theory]
    [InlineData("HTTP/1.0 404\nServer: x\n\n", 10, 404, "")]
    [InlineData("HTTP/1.1 502 Bad Gateway\r\n\r\n", 11, 502, "Bad Gateway")]
    [InlineData("HTTP/1.1 200 \r\n\r\n", 11, 200, "")]
    public void TryRead_StatusLineForms_Accepted(string text, int version, int status, string reason)
    {
        var (result, head, _, _) = Read(new(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ReadStatus.Complete, result);
        Assert.Equal(version, head.Version);
        Assert.Equal(status, head.Status);
        Assert.Equal(reason, head.Reason);
        Assert.Equal(version == 10, head.ConnectionClose);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", "upstream sent no valid HTTP/1.0 header")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "upstream sent no valid HTTP/1.0 header")]
    [InlineData("HTTP/2 200\r\n\r\n", "upstream sent no valid HTTP/1.0 header")]
    [InlineData("HTTP/1.1 200 OK\r\nX\u0000Y: 1\r\n\r\n", "upstream sent invalid header: \"X\\x00...\"")]
    [InlineData("HTTP/1.1 200 OK\r\nX: a\u0000b\r\n\r\n", "upstream sent invalid header: \"X: a\\x00...\"")]
    public void TryRead_Broken_InvalidWithNginxWording(string text, string expected)
    {
        var (status, _, _, error) = Read(new(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ReadStatus.Invalid, status);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", -1, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 9\r\n\r\n", 7, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", -1, true)]
    public void TryRead_FramingAsNginx122(string text, long length, bool chunked)
    {
        var (status, head, _, _) = Read(new(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ReadStatus.Complete, status);
        Assert.Equal(length, head.ContentLength);
        Assert.Equal(chunked, head.Chunked);
    }

    [Fact]
    public void TryRead_Chunked_SetsFraming()
    {
        var (_, head, _, _) = Read(new(Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")));
        Assert.True(head.Chunked);
        Assert.True(head.ConnectionClose);
        Assert.Equal(-1, head.ContentLength);
    }
}
