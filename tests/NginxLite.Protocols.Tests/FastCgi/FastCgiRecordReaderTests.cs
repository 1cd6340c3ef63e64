using System.Buffers;
using System.Text;
using CsCheck;
using NginxLite.Protocols.FastCgi;

namespace NginxLite.Protocols.Tests.FastCgi;

public class FastCgiRecordReaderTests
{
    /// <summary>A response as an application writes it: STDERR, STDOUT in two records, the empty STDOUT, END_REQUEST.</summary>
    private static byte[] Response()
    {
        var w = new ArrayBufferWriter<byte>();
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stderr, "warn\n"u8);
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stdout, "Status: 404 Not Found\r\nX-A: 1\r\n"u8);
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stdout, "\r\nbody!"u8);
        FastCgiRecordWriter.WriteEnd(w, FastCgiRecordType.Stdout);
        FastCgiRecordWriter.WriteEndRequest(w, 7);
        return w.WrittenSpan.ToArray();
    }

    private static List<(FastCgiRecordType Type, string Content, uint AppStatus)> ReadAll(ReadOnlySequence<byte> buffer, out long consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var records = new List<(FastCgiRecordType, string, uint)>();
        while (FastCgiRecordReader.TryRead(ref reader, out var r))
        {
            records.Add((r.Type, Encoding.Latin1.GetString(r.Content), r.AppStatus));
        }

        consumed = reader.Consumed;
        return records;
    }

    [Fact]
    public void TryRead_WholeResponse_ReadsEveryRecordAndSkipsPadding()
    {
        var records = ReadAll(new ReadOnlySequence<byte>(Response()), out var consumed);
        Assert.Equal(Response().Length, consumed);
        Assert.Equal(
            [
                (FastCgiRecordType.Stderr, "warn\n", 0u),
                (FastCgiRecordType.Stdout, "Status: 404 Not Found\r\nX-A: 1\r\n", 0u),
                (FastCgiRecordType.Stdout, "\r\nbody!", 0u),
                (FastCgiRecordType.Stdout, "", 0u),
                (FastCgiRecordType.EndRequest, "\0\0\0\a\0\0\0\0", 7u),
            ],
            records);
    }

    [Fact]
    public void TryRead_EveryPrefixOfARecord_IsIncompleteAndConsumesNothing()
    {
        var w = new ArrayBufferWriter<byte>();
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stdout, "Content-Type: text/plain\r\n\r\nhi"u8); // 30 bytes + 2 padding
        var record = w.WrittenSpan.ToArray();
        Assert.Equal(8 + 30 + 2, record.Length);
        for (var n = 0; n < record.Length; n++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(record, 0, n));
            Assert.False(FastCgiRecordReader.TryRead(ref reader, out _), $"prefix {n}");
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void TryRead_SplitAtEveryOffset_ReadsTheSame()
    {
        var bytes = Response();
        var expected = ReadAll(new ReadOnlySequence<byte>(bytes), out _);
        for (var i = 1; i < bytes.Length; i++)
        {
            for (var j = i; j < bytes.Length; j += 7)
            {
                Assert.Equal(expected, ReadAll(SplitSequences.At(bytes, i, j), out var consumed));
                Assert.Equal(bytes.Length, consumed);
            }
        }

        Assert.Equal(expected, ReadAll(SplitSequences.Bytewise(bytes), out _));
    }

    [Fact]
    public void TryRead_VersionNotOne_Throws()
    {
        var bytes = "HTTP/1.1 200 OK\r\n"u8.ToArray();
        var e = Assert.Throws<FastCgiProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
            FastCgiRecordReader.TryRead(ref reader, out _);
        });
        Assert.Equal("upstream sent unsupported FastCGI protocol version: 72", e.Message);
    }

    [Fact]
    public void WriteStream_LongContent_SplitsIntoRecordsOfAtMost64KiB()
    {
        var body = new byte[200_000];
        new Random(1).NextBytes(body);
        var w = new ArrayBufferWriter<byte>();
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stdin, body);
        FastCgiRecordWriter.WriteEnd(w, FastCgiRecordType.Stdin);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(w.WrittenMemory));
        var read = new List<byte>();
        var lengths = new List<long>();
        while (FastCgiRecordReader.TryRead(ref reader, out var r))
        {
            Assert.Equal(FastCgiRecordType.Stdin, r.Type);
            lengths.Add(r.Content.Length);
            read.AddRange(r.Content.ToArray());
        }

        Assert.Equal([65528, 65528, 65528, 3416, 0], lengths);
        Assert.Equal(body, read.ToArray());
        Assert.True(w.WrittenCount % 8 == 0, "records are padded to 8 bytes");
    }

    [Fact]
    public void WriterThenReader_RandomStreamsAndSplits_RoundTrip()
    {
        var gen = Gen.Select(
            Gen.Byte[0, 255].Array[0, 70_000],
            Gen.Int[0, 2].Select(i => (FastCgiRecordType)(5 + i)),
            Gen.Int[0, 100_000],
            Gen.Int[0, 100_000]);
        gen.Sample((content, type, cut1, cut2) =>
        {
            var w = new ArrayBufferWriter<byte>();
            FastCgiRecordWriter.WriteStream(w, type, content);
            FastCgiRecordWriter.WriteEnd(w, type);
            var bytes = w.WrittenSpan.ToArray();
            var reader = new SequenceReader<byte>(SplitSequences.At(bytes, cut1 % (bytes.Length + 1), cut2 % (bytes.Length + 1)));
            var read = new List<byte>();
            var last = -1L;
            while (FastCgiRecordReader.TryRead(ref reader, out var r))
            {
                if (r.Type != type)
                {
                    return false;
                }

                read.AddRange(r.Content.ToArray());
                last = r.Content.Length;
            }

            return last == 0 && reader.End && read.SequenceEqual(content);
        }, iter: 200);
    }
}
