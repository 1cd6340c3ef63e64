using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace NginxLite.Server.Http;

/// <summary>
/// The request body pipe of a chunked request, counting its decoded bytes against <c>client_max_body_size</c> as nginx's
/// ngx_http_request_body_chunked_filter does (a body of exactly the limit passes; one byte more is a 413, thrown as a
/// BadHttpRequestException the handlers answer with 413). Kestrel's own MaxRequestBodySize counts the chunk framing
/// too (a 9-byte body in one chunk fails a limit of 10), so it cannot stand in for nginx's limit.
/// </summary>
internal sealed class BodyLimitReader(PipeReader inner, long limit) : PipeReader, IRequestBodyPipeFeature
{
    private long _consumed;
    private ReadOnlySequence<byte> _last;

    /// <summary>The limit of the request's current location (an internal redirect may change it before the body is read).</summary>
    public long Limit { get; set; } = limit;

    PipeReader IRequestBodyPipeFeature.Reader => this;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        Check(await inner.ReadAsync(cancellationToken));

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = Check(result);
        return true;
    }

    private ReadResult Check(ReadResult result)
    {
        _last = result.Buffer;
        if (Limit > 0 && _consumed + result.Buffer.Length > Limit)
        {
            inner.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            _last = default;
            throw new BadHttpRequestException($"client intended to send too large chunked body: {_consumed}+{result.Buffer.Length} bytes", StatusCodes.Status413PayloadTooLarge);
        }

        return result;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed += _last.Slice(_last.Start, consumed).Length;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
