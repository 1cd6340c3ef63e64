using System.Buffers;

namespace NginxLite.Protocols.Http1;

/// <summary>
/// Frames a response body as the head says (nginx's ngx_http_proxy_input_filter_init): none (HEAD, 1xx, 204, 304), by
/// <c>Content-Length</c>, chunked, or until the upstream closes. <see cref="Read"/> returns buffered body bytes as
/// slices of the input (no copy) and says when the body is complete; the end of input is reported with
/// <see cref="ReadAtEnd"/>.
/// </summary>
public struct ResponseBodyReader
{
    private ChunkedDecoder _chunked;
    private long _remaining;

    public ResponseBodyReader(HttpResponseHead head, bool headRequest)
    {
        if (headRequest || head.Status is < 200 or 204 or 304)
        {
            Mode = BodyMode.None;
        }
        else if (head.Chunked)
        {
            Mode = BodyMode.Chunked;
        }
        else if (head.ContentLength >= 0)
        {
            Mode = BodyMode.Length;
            _remaining = head.ContentLength;
        }
        else
        {
            Mode = BodyMode.UntilClose;
        }
    }

    public BodyMode Mode { get; }

    public readonly string? Error => _chunked.Error;

    /// <summary>True once the whole body was read (never for <see cref="BodyMode.UntilClose"/> before the end of input).</summary>
    public readonly bool IsComplete => Mode switch
    {
        BodyMode.None => true,
        BodyMode.Length => _remaining == 0,
        BodyMode.Chunked => _chunked.IsComplete,
        _ => false,
    };

    /// <summary>The next body bytes in <paramref name="reader"/> (possibly empty). Complete when the body ended;
    /// Incomplete when more input is needed; Invalid on broken chunked framing (<see cref="Error"/>).</summary>
    public ReadStatus Read(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        switch (Mode)
        {
            case BodyMode.None:
                return ReadStatus.Complete;
            case BodyMode.Length:
                var take = Math.Min(_remaining, reader.Remaining);
                data = reader.UnreadSequence.Slice(0, take);
                reader.Advance(take);
                _remaining -= take;
                return _remaining == 0 ? ReadStatus.Complete : ReadStatus.Incomplete;
            case BodyMode.Chunked:
                return _chunked.Read(ref reader, out data);
            default:
                data = reader.UnreadSequence;
                reader.Advance(reader.Remaining);
                return ReadStatus.Incomplete;
        }
    }

    /// <summary>The upstream closed: true when that ends the body properly (until-close, or nothing left to read).</summary>
    public readonly bool ReadAtEnd() => Mode == BodyMode.UntilClose || IsComplete;
}

public enum BodyMode : byte
{
    None,
    Length,
    Chunked,
    UntilClose,
}
