using System.Buffers;

namespace NginxLite.Protocols.Http1;

/// <summary>
/// Decodes a chunked body (RFC 9112 §7.1) incrementally: each <see cref="Read"/> consumes framing and returns the next
/// run of data bytes that is already buffered (a slice of the input, never copied). Chunk extensions and trailers are
/// read and dropped, as nginx's proxy does. A mutable struct: keep one per body.
/// </summary>
public struct ChunkedDecoder
{
    private const int MaxLineLength = 4096;

    private State _state;
    private long _remaining;

    private enum State : byte
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    public readonly bool IsComplete => _state == State.Done;

    /// <summary>The error of the last <see cref="ReadStatus.Invalid"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Reads from <paramref name="reader"/>: <paramref name="data"/> is the body bytes found (possibly empty).
    /// <see cref="ReadStatus.Incomplete"/>: more input needed (partial framing is left unconsumed);
    /// <see cref="ReadStatus.Complete"/>: the last chunk and trailers are read. Call again while data comes back non-empty.
    /// </summary>
    public ReadStatus Read(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryLine(ref reader, out var line, out var tooLong))
                    {
                        return tooLong ? Fail("upstream sent invalid chunked response") : ReadStatus.Incomplete;
                    }

                    if (!TryParseSize(line, out _remaining))
                    {
                        return Fail("upstream sent invalid chunked response");
                    }

                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    break;
                case State.Data:
                    if (reader.End)
                    {
                        return ReadStatus.Incomplete;
                    }

                    var take = Math.Min(_remaining, reader.Remaining);
                    data = reader.UnreadSequence.Slice(0, take);
                    reader.Advance(take);
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return ReadStatus.Incomplete;
                case State.DataEnd:
                    if (!TryLine(ref reader, out var end, out _))
                    {
                        return reader.Remaining > 2 ? Fail("upstream sent invalid chunked response") : ReadStatus.Incomplete;
                    }

                    if (end.Length != 0)
                    {
                        return Fail("upstream sent invalid chunked response");
                    }

                    _state = State.Size;
                    break;
                case State.Trailer:
                    if (!TryLine(ref reader, out var trailer, out var trailerTooLong))
                    {
                        return trailerTooLong ? Fail("upstream sent invalid chunked response") : ReadStatus.Incomplete;
                    }

                    if (trailer.Length == 0)
                    {
                        _state = State.Done;
                        return ReadStatus.Complete;
                    }

                    break;
                default:
                    return ReadStatus.Complete;
            }
        }
    }

    private ReadStatus Fail(string error)
    {
        Error = error;
        return ReadStatus.Invalid;
    }

    private static bool TryLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        if (!reader.TryReadTo(out ReadOnlySpan<byte> raw, (byte)'\n'))
        {
            tooLong = reader.Remaining > MaxLineLength;
            line = default;
            return false;
        }

        line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
        return true;
    }

    // hex digits, then optional spaces and ";ext".
    private static bool TryParseSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        var digits = 0;
        foreach (var b in line)
        {
            var v = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                if (digits > 0 && (b == (byte)';' || b == (byte)' ' || b == (byte)'\t'))
                {
                    return true;
                }

                return false;
            }

            if (++digits > 15)
            {
                return false;
            }

            size = (size << 4) | (uint)v;
        }

        return digits > 0;
    }
}
