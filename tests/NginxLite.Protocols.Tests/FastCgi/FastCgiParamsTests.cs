using System.Buffers;
using System.Text;
using CsCheck;
using NginxLite.Protocols.FastCgi;

namespace NginxLite.Protocols.Tests.FastCgi;

public class FastCgiParamsTests
{
    private static List<KeyValuePair<string, string>> ReadParams(byte[] records)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(records));
        var content = new List<byte>();
        var ended = false;
        while (FastCgiRecordReader.TryRead(ref reader, out var r))
        {
            Assert.Equal(FastCgiRecordType.Params, r.Type);
            ended = r.Content.Length == 0;
            content.AddRange(r.Content.ToArray());
        }

        Assert.True(ended, "PARAMS ends with an empty record");
        var pairs = new SequenceReader<byte>(new ReadOnlySequence<byte>(content.ToArray()));
        var result = new List<KeyValuePair<string, string>>();
        while (FastCgiParams.TryReadPair(ref pairs, out var n, out var v))
        {
            result.Add(new(n, v));
        }

        Assert.True(pairs.End);
        return result;
    }

    [Fact]
    public void Write_ShortAndLongLengths_UseOneAndFourBytes()
    {
        var longValue = new string('v', 200);
        var w = new ArrayBufferWriter<byte>();
        FastCgiParams.Write(w, [new("A", "b"), new("LONG", longValue)]);
        var bytes = w.WrittenSpan.ToArray();

        // header(8) + [1,1,"A","b"] + [4,0x80000000|200 as 4 bytes,"LONG",200 bytes]
        Assert.Equal(new byte[] { 1, 1, (byte)'A', (byte)'b' }, bytes[8..12]);
        Assert.Equal(new byte[] { 4, 0x80, 0, 0, 200 }, bytes[12..17]);
        Assert.Equal([new("A", "b"), new("LONG", longValue)], ReadParams(bytes));
    }

    [Fact]
    public void Write_ParamsLongerThanOneRecord_SpanRecords()
    {
        var pairs = Enumerable.Range(0, 40).Select(i => new KeyValuePair<string, string>("P" + i, new string((char)('a' + (i % 26)), 3000))).ToList();
        var w = new ArrayBufferWriter<byte>();
        FastCgiParams.Write(w, pairs);
        Assert.Equal(pairs, ReadParams(w.WrittenSpan.ToArray()));
    }

    [Fact]
    public void TryReadPair_EveryPrefix_IsIncomplete()
    {
        byte[] pair = [3, 0x80, 0, 0, 130, .. "KEY"u8, .. Enumerable.Repeat((byte)'x', 130)]; // 1-byte name, 4-byte value length
        for (var n = 0; n < pair.Length; n++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pair, 0, n));
            Assert.False(FastCgiParams.TryReadPair(ref reader, out _, out _), $"prefix {n}");
            Assert.Equal(0, reader.Consumed);
        }

        var whole = new SequenceReader<byte>(SplitSequences.Bytewise(pair));
        Assert.True(FastCgiParams.TryReadPair(ref whole, out var name, out var value));
        Assert.Equal(("KEY", new string('x', 130)), (name, value));
    }

    [Fact]
    public void WriterThenReader_RandomParams_RoundTrip()
    {
        var text = Gen.Char['\0', '\u00ff'].Array[0, 300].Select(c => new string(c));
        Gen.Select(text, text).List[0, 30].Sample(list =>
        {
            var pairs = list.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList();
            var w = new ArrayBufferWriter<byte>();
            FastCgiParams.Write(w, pairs);
            return ReadParams(w.WrittenSpan.ToArray()).SequenceEqual(pairs);
        }, iter: 200);
    }

    [Fact]
    public void Write_NonLatin1Value_IsUtf8()
    {
        var w = new ArrayBufferWriter<byte>();
        FastCgiParams.Write(w, [new("U", "é€")]);
        var read = ReadParams(w.WrittenSpan.ToArray());
        Assert.Equal("é€", Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(read[0].Value)));
    }
}
