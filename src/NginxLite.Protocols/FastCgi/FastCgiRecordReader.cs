using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace NginxLite.Protocols.FastCgi;

/// <summary>
/// Reads FastCGI records (FastCGI 1.0, section 3.3) from a buffer: a record is returned only when its header, content
/// and padding are all there, so a partial record is never consumed and any split point reads the same.
/// </summary>
public static class FastCgiRecordReader
{
    public const int HeaderLength = 8;

    /// <summary>True and the record when a whole one is at the reader's position (advanced past it, padding included);
    /// false and unmoved when more bytes are needed. A version other than 1 throws.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out FastCgiRecord record)
    {
        record = default;
        Span<byte> header = stackalloc byte[HeaderLength];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        if (header[0] != 1)
        {
            ThrowInvalid("upstream sent unsupported FastCGI protocol version: " + header[0]);
        }

        var type = (FastCgiRecordType)header[1];
        var id = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        int padding = header[6];
        if (reader.Remaining < HeaderLength + length + padding)
        {
            return false;
        }

        if (type is < FastCgiRecordType.BeginRequest or > FastCgiRecordType.UnknownType)
        {
            ThrowInvalid("upstream sent invalid FastCGI record type: " + (int)type);
        }

        reader.Advance(HeaderLength);
        var content = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length + padding);
        record = new FastCgiRecord(type, id, content);
        return true;
    }

    [DoesNotReturn]
    [StackTraceHidden]
    private static void ThrowInvalid(string message) => throw new FastCgiProtocolException(message);
}
