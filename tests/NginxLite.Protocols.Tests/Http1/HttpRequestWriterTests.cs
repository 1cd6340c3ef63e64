using System.Buffers;
using System.Text;
using NginxLite.Protocols.Http1;

namespace NginxLite.Protocols.Tests.Http1;

public class HttpRequestWriterTests
{
    [Fact]
    public void Write_HeadAndChunks_ExactBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        HttpRequestWriter.WriteRequestLine(buffer, "POST", "/a?b=1", 10);
        HttpRequestWriter.WriteHeader(buffer, "Host", "app\u00e9");
        HttpRequestWriter.WriteHeader(buffer, "Transfer-Encoding", "chunked");
        HttpRequestWriter.WriteEndOfHead(buffer);
        HttpRequestWriter.WriteChunkHeader(buffer, 26);
        buffer.Write("abcdefghijklmnopqrstuvwxyz"u8);
        HttpRequestWriter.WriteChunkEnd(buffer);
        HttpRequestWriter.WriteLastChunk(buffer);
        Assert.Equal(
            "POST /a?b=1 HTTP/1.0\r\nHost: app\u00e9\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
            Encoding.Latin1.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void WrittenChunks_ReadBack_ByDecoder_AtEverySplit()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var expected = new StringBuilder();
        for (var size = 1; size < 40; size += 7)
        {
            var data = Encoding.Latin1.GetBytes(new string((char)('a' + (size % 26)), size));
            HttpRequestWriter.WriteChunkHeader(buffer, data.Length);
            buffer.Write(data);
            HttpRequestWriter.WriteChunkEnd(buffer);
            expected.Append(Encoding.Latin1.GetString(data));
        }

        HttpRequestWriter.WriteLastChunk(buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var decoder = new ChunkedDecoder();
            var reader = new SequenceReader<byte>(Segments.Split(bytes, cut, cut + 3));
            var got = new StringBuilder();
            ReadStatus status;
            do
            {
                status = decoder.Read(ref reader, out var part);
                got.Append(Encoding.Latin1.GetString(part.ToArray()));
            }
            while (status == ReadStatus.Incomplete && !reader.End);

            Assert.Equal(ReadStatus.Complete, status);
            Assert.Equal(expected.ToString(), got.ToString());
        }
    }
}
