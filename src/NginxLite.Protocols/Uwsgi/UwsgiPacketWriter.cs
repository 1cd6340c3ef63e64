using System.Buffers;
using System.Buffers.Binary;
using NginxLite.Protocols.FastCgi;

namespace NginxLite.Protocols.Uwsgi;

/// <summary>
/// Writes the uwsgi request packet (uwsgi protocol documentation, "The uwsgi protocol"): a 4-byte header (modifier1,
/// datasize as little-endian 16 bits, modifier2) and, for modifier1 0 (WSGI), the vars block: each key and value
/// preceded by its little-endian 16-bit length. The request body follows the packet as raw bytes.
/// </summary>
public static class UwsgiPacketWriter
{
    /// <summary>The largest vars block the 16-bit datasize can carry.</summary>
    public const int MaxVarsLength = ushort.MaxValue;

    /// <summary>The size of the vars block for <paramref name="vars"/>, or -1 when a key or value is longer than 65535
    /// bytes or the block exceeds <see cref="MaxVarsLength"/>.</summary>
    public static int VarsLength(IReadOnlyList<KeyValuePair<string, string>> vars)
    {
        long total = 0;
        foreach (var (name, value) in vars)
        {
            var n = FastCgiParams.ByteCount(name);
            var v = FastCgiParams.ByteCount(value);
            if (n > ushort.MaxValue || v > ushort.MaxValue)
            {
                return -1;
            }

            total += 4 + n + v;
        }

        return total > MaxVarsLength ? -1 : (int)total;
    }

    /// <summary>Writes the packet header and vars; false (nothing written) when the vars do not fit in 64 KiB
    /// (nginx: "uwsgi request is too big").</summary>
    public static bool Write(IBufferWriter<byte> writer, IReadOnlyList<KeyValuePair<string, string>> vars, byte modifier1, byte modifier2)
    {
        var length = VarsLength(vars);
        if (length < 0)
        {
            return false;
        }

        Write(writer, vars, length, modifier1, modifier2);
        return true;
    }

    /// <summary>Writes the packet header and vars whose <see cref="VarsLength"/> the caller already has (0 to
    /// <see cref="MaxVarsLength"/>): the vars are measured once per request.</summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<KeyValuePair<string, string>> vars, int length, byte modifier1, byte modifier2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxVarsLength);
        var span = writer.GetSpan(4 + length);
        span[0] = modifier1;
        BinaryPrimitives.WriteUInt16LittleEndian(span[1..], (ushort)length);
        span[3] = modifier2;
        var at = 4;
        foreach (var (name, value) in vars)
        {
            var n = FastCgiParams.GetBytes(name, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)n);
            at += 2 + n;
            var v = FastCgiParams.GetBytes(value, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)v);
            at += 2 + v;
        }

        writer.Advance(at);
    }
}
