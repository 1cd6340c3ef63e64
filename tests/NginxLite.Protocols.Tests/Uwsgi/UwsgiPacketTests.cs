using System.Buffers;
using CsCheck;
using NginxLite.Protocols.Uwsgi;

namespace NginxLite.Protocols.Tests.Uwsgi;

public class UwsgiPacketTests
{
    [Fact]
    public void Write_HeaderAndVars_AreLittleEndian()
    {
        var w = new ArrayBufferWriter<byte>();
        Assert.True(UwsgiPacketWriter.Write(w, [new("AB", "xyz")], 0, 5));
        Assert.Equal(new byte[] { 0, 9, 0, 5, 2, 0, (byte)'A', (byte)'B', 3, 0, (byte)'x', (byte)'y', (byte)'z' }, w.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_WithMeasuredLength_SameBytesAsMeasuringItself()
    {
        KeyValuePair<string, string>[] vars = [new("REQUEST_METHOD", "GET"), new("HTTP_X", "caf\u00e9"), new("EMPTY", "")];
        var measured = new ArrayBufferWriter<byte>();
        var itself = new ArrayBufferWriter<byte>();

        UwsgiPacketWriter.Write(measured, vars, UwsgiPacketWriter.VarsLength(vars), 0, 78);
        Assert.True(UwsgiPacketWriter.Write(itself, vars, 0, 78));

        Assert.Equal(itself.WrittenSpan.ToArray(), measured.WrittenSpan.ToArray());
        Assert.Equal(4 + UwsgiPacketWriter.VarsLength(vars), measured.WrittenCount);
    }

    [Fact]
    public void Write_VarsOver64KiB_Refused()
    {
        var w = new ArrayBufferWriter<byte>();
        Assert.False(UwsgiPacketWriter.Write(w, [new("A", new string('x', 40_000)), new("B", new string('y', 40_000))], 0, 0));
        Assert.Equal(0, w.WrittenCount);
    }

    [Fact]
    public void TryRead_EveryPrefix_IncompleteAndEverySplit_Same()
    {
        var w = new ArrayBufferWriter<byte>();
        UwsgiPacketWriter.Write(w, [new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/a b"), new("EMPTY", "")], 0, 0);
        var bytes = w.WrittenSpan.ToArray();
        for (var n = 0; n < bytes.Length; n++)
        {
            var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, n));
            Assert.False(UwsgiPacketReader.TryRead(ref r, out _, out _, out _), $"prefix {n}");
            Assert.Equal(0, r.Consumed);
        }

        for (var i = 1; i < bytes.Length; i++)
        {
            var r = new SequenceReader<byte>(SplitSequences.At(bytes, i));
            Assert.True(UwsgiPacketReader.TryRead(ref r, out _, out _, out var vars));
            Assert.Equal([new("REQUEST_METHOD", "GET"), new("PATH_INFO", "/a b"), new("EMPTY", "")], vars);
            Assert.True(r.End);
        }
    }

    [Fact]
    public void WriterThenReader_RandomVars_RoundTrip()
    {
        var text = Gen.Char['\0', '\u00ff'].Array[0, 200].Select(c => new string(c));
        Gen.Select(Gen.Select(text, text).List[0, 40], Gen.Byte, Gen.Byte, Gen.Int[0, 20_000]).Sample((list, m1, m2, cut) =>
        {
            var vars = list.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList();
            var w = new ArrayBufferWriter<byte>();
            UwsgiPacketWriter.Write(w, vars, m1, m2);
            var bytes = w.WrittenSpan.ToArray();
            var r = new SequenceReader<byte>(SplitSequences.At(bytes, cut % (bytes.Length + 1)));
            return UwsgiPacketReader.TryRead(ref r, out var a, out var b, out var read) && a == m1 && b == m2 && read.SequenceEqual(vars) && r.End;
        }, iter: 200);
    }
}
