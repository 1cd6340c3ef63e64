using System.Buffers;
using System.Text;
using NginxLite.Protocols.Http1;

namespace NginxLite.Protocols.Tests.Http1;

public class ResponseBodyReaderTests
{
    private static HttpResponseHead Head(string text)
    {
        var head = new HttpResponseHead();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ReadStatus.Complete, HttpResponseHeadReader.TryRead(ref reader, head, out _));
        return head;
    }

    /// <summary>Feeds <paramref name="body"/> in the given sequence and collects the decoded bytes.</summary>
    private static (ReadStatus Status, string Data, long Consumed) Drain(ref ResponseBodyReader body, ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        var sb = new StringBuilder();
        ReadStatus status;
        while (true)
        {
            status = body.Read(ref reader, out var data);
            sb.Append(Encoding.Latin1.GetString(data.ToArray()));
            if (status != ReadStatus.Incomplete || data.Length == 0)
            {
                break;
            }
        }

        return (status, sb.ToString(), reader.Consumed);
    }

    private const string Chunked = "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n";

    [Fact]
    public void Chunked_Whole_DecodesAndCompletes()
    {
        var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
        var (status, data, consumed) = Drain(ref body, new(Encoding.Latin1.GetBytes(Chunked + "extra")));
        Assert.Equal(ReadStatus.Complete, status);
        Assert.Equal("hello 0123456789", data);
        Assert.Equal(Chunked.Length, consumed);
        Assert.True(body.IsComplete);
    }

    [Fact]
    public void Chunked_EveryPrefixThenRest_SameBytes()
    {
        var bytes = Encoding.Latin1.GetBytes(Chunked);
        for (var n = 0; n <= bytes.Length; n++)
        {
            var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
            var (first, part1, consumed) = Drain(ref body, new ReadOnlySequence<byte>(bytes, 0, n));
            if (n < bytes.Length)
            {
                Assert.Equal(ReadStatus.Incomplete, first);
            }

            var (second, part2, _) = Drain(ref body, new ReadOnlySequence<byte>(bytes, (int)consumed, bytes.Length - (int)consumed));
            Assert.Equal(ReadStatus.Complete, n == bytes.Length ? first : second);
            Assert.Equal("hello 0123456789", part1 + part2);
        }
    }

    [Fact]
    public void Chunked_OneBytePerSegment_SameBytes()
    {
        var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
        var (status, data, _) = Drain(ref body, Segments.OneBytePerSegment(Encoding.Latin1.GetBytes(Chunked)));
        Assert.Equal(ReadStatus.Complete, status);
        Assert.Equal("hello 0123456789", data);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("5\r\nhelloXX\r\n")]
    [InlineData("ffffffffffffffffff\r\n")]
    public void Chunked_Broken_Invalid(string text)
    {
        var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), false);
        var (status, _, _) = Drain(ref body, new(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ReadStatus.Invalid, status);
        Assert.Equal("upstream sent invalid chunked response", body.Error);
    }

    [Fact]
    public void ContentLength_StopsAtLength_AtEverySplit()
    {
        var bytes = Encoding.Latin1.GetBytes("helloNEXT");
        for (var cut = 0; cut <= 5; cut++)
        {
            var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), false);
            var (s1, d1, c1) = Drain(ref body, new ReadOnlySequence<byte>(bytes, 0, cut));
            var (s2, d2, c2) = Drain(ref body, new ReadOnlySequence<byte>(bytes, cut, bytes.Length - cut));
            Assert.Equal("hello", d1 + d2);
            Assert.Equal(5, c1 + c2);
            Assert.Equal(ReadStatus.Complete, cut == 5 ? s1 : s2);
            Assert.False(!body.IsComplete);
        }
    }

    [Fact]
    public void UntilClose_TakesEverything_EndIsProper()
    {
        var body = new ResponseBodyReader(Head("HTTP/1.0 200 OK\r\n\r\n"), false);
        Assert.Equal(BodyMode.UntilClose, body.Mode);
        var (status, data, _) = Drain(ref body, new(Encoding.Latin1.GetBytes("abc")));
        Assert.Equal(ReadStatus.Incomplete, status);
        Assert.Equal("abc", data);
        Assert.True(body.ReadAtEnd());
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true)]
    public void NoBody_ForHeadAnd204And304(string head, bool headRequest)
    {
        var body = new ResponseBodyReader(Head(head), headRequest);
        Assert.Equal(BodyMode.None, body.Mode);
        Assert.True(body.IsComplete);
    }

    [Fact]
    public void Length_ClosedEarly_IsNotProperEnd()
    {
        var body = new ResponseBodyReader(Head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), false);
        Drain(ref body, new(Encoding.Latin1.GetBytes("abc")));
        Assert.False(body.ReadAtEnd());
    }
}
