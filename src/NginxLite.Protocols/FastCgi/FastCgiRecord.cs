using System.Buffers;

namespace NginxLite.Protocols.FastCgi;

/// <summary>One whole record as read: its header fields and its content (padding already skipped). The content is a
/// slice of the reader's buffer, valid until the buffer is advanced past it.</summary>
public readonly record struct FastCgiRecord(FastCgiRecordType Type, ushort RequestId, ReadOnlySequence<byte> Content)
{
    /// <summary>The application status of an END_REQUEST record (the CGI exit status), else 0.</summary>
    public uint AppStatus => Type == FastCgiRecordType.EndRequest && Content.Length >= 4 ? ReadUInt32(Content) : 0;

    /// <summary>The protocol status of an END_REQUEST record (0 = REQUEST_COMPLETE).</summary>
    public byte ProtocolStatus => Type == FastCgiRecordType.EndRequest && Content.Length >= 5 ? Content.Slice(4, 1).FirstSpan[0] : (byte)0;

    private static uint ReadUInt32(ReadOnlySequence<byte> content)
    {
        Span<byte> b = stackalloc byte[4];
        content.Slice(0, 4).CopyTo(b);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);
    }
}
