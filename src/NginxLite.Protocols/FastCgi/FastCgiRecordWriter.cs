using System.Buffers;
using System.Buffers.Binary;

namespace NginxLite.Protocols.FastCgi;

/// <summary>
/// Writes the records of one FastCGI request (FastCGI 1.0): BEGIN_REQUEST, PARAMS (name-value pairs with 1- or 4-byte
/// lengths), STDIN. Content is padded to a multiple of 8 bytes as nginx does; a record carries at most
/// <see cref="MaxContent"/> bytes, so longer params or bodies span several records.
/// </summary>
public static class FastCgiRecordWriter
{
    /// <summary>The largest content per record: 65535 rounded down to a multiple of 8, so padding stays aligned.</summary>
    public const int MaxContent = 65528;

    public const ushort RequestId = 1;

    /// <summary>BEGIN_REQUEST, role RESPONDER; <paramref name="keepConn"/> sets FCGI_KEEP_CONN (fastcgi_keep_conn).</summary>
    public static void WriteBeginRequest(IBufferWriter<byte> writer, bool keepConn, ushort requestId = RequestId)
    {
        var span = writer.GetSpan(16);
        WriteHeader(span, FastCgiRecordType.BeginRequest, requestId, 8, 0);
        span[8..16].Clear();
        span[9] = 1; // FCGI_RESPONDER (the role is two bytes, big-endian)
        span[10] = keepConn ? (byte)1 : (byte)0;
        writer.Advance(16);
    }

    /// <summary>The encoded size of one name-value pair (section 3.4).</summary>
    public static int PairLength(int nameLength, int valueLength) =>
        (nameLength < 128 ? 1 : 4) + (valueLength < 128 ? 1 : 4) + nameLength + valueLength;

    /// <summary>Writes one name-value pair's bytes (no record header) to <paramref name="destination"/>.</summary>
    public static int WritePair(Span<byte> destination, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var at = WriteLength(destination, name.Length);
        at += WriteLength(destination[at..], value.Length);
        name.CopyTo(destination[at..]);
        at += name.Length;
        value.CopyTo(destination[at..]);
        return at + value.Length;
    }

    private static int WriteLength(Span<byte> destination, int length)
    {
        if (length < 128)
        {
            destination[0] = (byte)length;
            return 1;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length | 0x8000_0000u);
        return 4;
    }

    /// <summary>Writes <paramref name="content"/> as records of <paramref name="type"/>, each at most
    /// <see cref="MaxContent"/> bytes. Empty content writes nothing (use <see cref="WriteEnd"/>).</summary>
    public static void WriteStream(IBufferWriter<byte> writer, FastCgiRecordType type, ReadOnlySpan<byte> content, ushort requestId = RequestId)
    {
        while (content.Length > 0)
        {
            var length = Math.Min(content.Length, MaxContent);
            var padding = (8 - (length & 7)) & 7;
            var span = writer.GetSpan(8 + length + padding);
            WriteHeader(span, type, requestId, length, padding);
            content[..length].CopyTo(span[8..]);
            span.Slice(8 + length, padding).Clear();
            writer.Advance(8 + length + padding);
            content = content[length..];
        }
    }

    /// <summary>Writes a multi-segment buffer as records of <paramref name="type"/>.</summary>
    public static void WriteStream(IBufferWriter<byte> writer, FastCgiRecordType type, in ReadOnlySequence<byte> content, ushort requestId = RequestId)
    {
        foreach (var segment in content)
        {
            WriteStream(writer, type, segment.Span, requestId);
        }
    }

    /// <summary>The empty record that ends a stream (PARAMS, STDIN).</summary>
    public static void WriteEnd(IBufferWriter<byte> writer, FastCgiRecordType type, ushort requestId = RequestId)
    {
        WriteHeader(writer.GetSpan(8), type, requestId, 0, 0);
        writer.Advance(8);
    }

    /// <summary>END_REQUEST (what an application writes; used by tests and fake peers).</summary>
    public static void WriteEndRequest(IBufferWriter<byte> writer, uint appStatus, byte protocolStatus = 0, ushort requestId = RequestId)
    {
        var span = writer.GetSpan(16);
        WriteHeader(span, FastCgiRecordType.EndRequest, requestId, 8, 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], appStatus);
        span[12] = protocolStatus;
        span[13..16].Clear();
        writer.Advance(16);
    }

    private static void WriteHeader(Span<byte> span, FastCgiRecordType type, ushort requestId, int length, int padding)
    {
        span[0] = 1;
        span[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], requestId);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)length);
        span[6] = (byte)padding;
        span[7] = 0;
    }
}
