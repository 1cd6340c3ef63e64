using System.Buffers;
using System.Text;

namespace NginxLite.Protocols.Uwsgi;

/// <summary>Reads a uwsgi request packet (what a uwsgi server sees): header and vars, only when all of it is there.</summary>
public static class UwsgiPacketReader
{
    /// <summary>True with the modifiers and vars when the whole packet is at the reader's position (advanced past it);
    /// false and unmoved when more bytes are needed. A malformed vars block throws <see cref="FormatException"/>.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out byte modifier1, out byte modifier2, out List<KeyValuePair<string, string>> vars)
    {
        modifier1 = modifier2 = 0;
        vars = [];
        Span<byte> header = stackalloc byte[4];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        var size = header[1] | (header[2] << 8);
        if (reader.Remaining < 4 + size)
        {
            return false;
        }

        modifier1 = header[0];
        modifier2 = header[3];
        var block = new SequenceReader<byte>(reader.UnreadSequence.Slice(4, size));
        while (!block.End)
        {
            vars.Add(new(ReadString(ref block), ReadString(ref block)));
        }

        reader.Advance(4 + size);
        return true;
    }

    private static string ReadString(ref SequenceReader<byte> block)
    {
        if (!block.TryReadLittleEndian(out short length) || block.Remaining < (ushort)length)
        {
            throw new FormatException("truncated uwsgi var");
        }

        var text = Encoding.Latin1.GetString(block.UnreadSequence.Slice(0, (ushort)length));
        block.Advance((ushort)length);
        return text;
    }
}
