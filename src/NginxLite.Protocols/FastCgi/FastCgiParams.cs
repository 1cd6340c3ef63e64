using System.Buffers;
using System.Text;

namespace NginxLite.Protocols.FastCgi;

/// <summary>
/// The PARAMS stream of a request: every name-value pair encoded back to back, cut into records of at most
/// <see cref="FastCgiRecordWriter.MaxContent"/> bytes, then the empty PARAMS record. Strings go out as bytes:
/// Latin-1 when every char fits (request heads are decoded that way), else UTF-8.
/// </summary>
public static class FastCgiParams
{
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<KeyValuePair<string, string>> pairs, ushort requestId = FastCgiRecordWriter.RequestId)
    {
        var total = 0;
        foreach (var (name, value) in pairs)
        {
            total += FastCgiRecordWriter.PairLength(ByteCount(name), ByteCount(value));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
        try
        {
            var at = 0;
            byte[]? scratch = null;
            foreach (var (name, value) in pairs)
            {
                var n = ByteCount(name);
                var v = ByteCount(value);
                var need = n + v;
                if (scratch is null || scratch.Length < need)
                {
                    if (scratch is not null)
                    {
                        ArrayPool<byte>.Shared.Return(scratch);
                    }

                    scratch = ArrayPool<byte>.Shared.Rent(Math.Max(need, 256));
                }

                GetBytes(name, scratch);
                GetBytes(value, scratch.AsSpan(n));
                at += FastCgiRecordWriter.WritePair(buffer.AsSpan(at), scratch.AsSpan(0, n), scratch.AsSpan(n, v));
            }

            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            FastCgiRecordWriter.WriteStream(writer, FastCgiRecordType.Params, buffer.AsSpan(0, at), requestId);
            FastCgiRecordWriter.WriteEnd(writer, FastCgiRecordType.Params, requestId);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one name-value pair from PARAMS content (section 3.4); false when it is not all there.</summary>
    public static bool TryReadPair(ref SequenceReader<byte> reader, out string name, out string value)
    {
        name = value = "";
        var start = reader;
        if (!TryReadLength(ref reader, out var n) || !TryReadLength(ref reader, out var v) || reader.Remaining < (long)n + v)
        {
            reader = start;
            return false;
        }

        name = Encoding.Latin1.GetString(reader.UnreadSequence.Slice(0, n));
        reader.Advance(n);
        value = Encoding.Latin1.GetString(reader.UnreadSequence.Slice(0, v));
        reader.Advance(v);
        return true;
    }

    private static bool TryReadLength(ref SequenceReader<byte> reader, out int length)
    {
        length = 0;
        if (!reader.TryPeek(out var first))
        {
            return false;
        }

        if (first < 128)
        {
            reader.Advance(1);
            length = first;
            return true;
        }

        if (!reader.TryReadBigEndian(out int four))
        {
            return false;
        }

        length = four & 0x7fff_ffff;
        return true;
    }

    internal static int ByteCount(string s) => IsLatin1(s) ? s.Length : Encoding.UTF8.GetByteCount(s);

    internal static int GetBytes(string s, Span<byte> destination) =>
        IsLatin1(s) ? Encoding.Latin1.GetBytes(s, destination) : Encoding.UTF8.GetBytes(s, destination);

    private static bool IsLatin1(string s)
    {
        foreach (var c in s)
        {
            if (c > 0xff)
            {
                return false;
            }
        }

        return true;
    }
}
