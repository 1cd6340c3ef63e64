using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Upstream;
using NginxLite.Protocols.Cgi;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// Turns the upstream's response bytes (FastCGI STDOUT content, or a uwsgi app's raw HTTP response) into the client's
/// response: the head is gathered in one buffer of <c>*_buffer_size</c> bytes (nginx: "upstream sent too big header"
/// when it does not fit), parsed, filtered and started; every later byte goes straight to Kestrel's output.
/// </summary>
internal sealed class ResponseRelay : IDisposable
{
    private readonly IUpstreamRequest _request;
    private readonly CgiUpstreamSettings _settings;
    private readonly bool _allowStatusLine;
    private readonly IHttpResponseBodyFeature _body;
    private byte[]? _head;
    private int _headLength;
    private long _pending;
    private bool _mustStart;
    private bool _noBody;

    /// <summary>nginx's error-log <c>upstream: "fastcgi://unix:/x:"</c> part for lines about this response.</summary>
    public string Upstream { get; init; } = "";

    public ResponseRelay(IUpstreamRequest request, CgiUpstreamSettings settings, bool allowStatusLine)
    {
        _request = request;
        _settings = settings;
        _allowStatusLine = allowStatusLine;
        _body = request.Features.Get<IHttpResponseBodyFeature>()!;
        _head = ArrayPool<byte>.Shared.Rent(settings.BufferSize);
    }

    /// <summary>True once the response has started (headers committed to the client).</summary>
    public bool Started { get; private set; }

    /// <summary>The status to hand back for error_page when <c>*_intercept_errors</c> took the response.</summary>
    public int Intercepted { get; private set; }

    /// <summary>The status of a response dropped for <c>*_next_upstream http_…</c> (0: none): the attempt ends and the
    /// next peer is tried; see <see cref="NextUpstream"/>.</summary>
    public int Discarded { get; private set; }

    /// <summary>ngx_http_upstream_test_next: given the upstream's status, true when the response is to be dropped for
    /// another peer (a listed condition, tries left, the body replayable). Asked before intercept_errors, as nginx does.</summary>
    public Func<int, bool>? NextUpstream { get; init; }

    /// <summary>Called just before the response starts, so the header filters (add_header) see this attempt's
    /// <c>$upstream_*</c> values, as nginx has them set when it sends the head.</summary>
    public Action<ResponseRelay>? Starting { get; init; }

    /// <summary>The internal redirect an <c>X-Accel-Redirect</c> asked for (null: none); the response is not relayed.</summary>
    public HandlerResult? Redirected { get; private set; }

    public bool HeadDone => Started || Intercepted != 0 || Discarded != 0 || Redirected is not null;

    /// <summary>When the upstream's head was parsed (a <see cref="System.Diagnostics.Stopwatch"/> timestamp; 0: not
    /// yet), for <c>$upstream_header_time</c>.</summary>
    public long HeaderAt { get; private set; }

    /// <summary>Raw upstream bytes consumed before the current read buffer (set by the exchange before decoding).</summary>
    public long RawBase { get; set; }

    /// <summary>The raw stream offset of the data next given to <see cref="Accept"/> (set by the decoder: FastCGI
    /// content starts after its record header), so the head's raw end is known.</summary>
    public long ContentAt { get; set; }

    /// <summary>Raw upstream bytes up to the end of the response head. nginx's <c>$upstream_response_length</c> is
    /// what it read after the head, framing included (u->pipe->read_length, or the non-buffered read count).</summary>
    public long RawHeadEnd { get; private set; }

    /// <summary>The response comes in app_pass frames (docs/apps.md, "What app_pass sends"), decoded by the uwsgi
    /// exchange: <see cref="FrameLeft"/> is what the current frame still holds.</summary>
    public bool Framed { get; init; }

    /// <summary>Bytes of the current frame not decoded yet (0: a frame header is next).</summary>
    public long FrameLeft { get; set; }

    /// <summary>Body bytes written to Kestrel's output and not flushed yet.</summary>
    public long Pending => _pending;

    /// <summary>The status the upstream answered with (0 until its head is parsed), for an app pool's counters.</summary>
    public int UpstreamStatus { get; private set; }

    /// <summary>Every response byte the upstream sent (head and body; FastCGI: record contents), for uWSGI's <c>tx</c>.</summary>
    public long UpstreamBytes { get; private set; }

    /// <summary>Takes the next response bytes; a failure is an <see cref="UpstreamException"/>.</summary>
    public void Accept(ReadOnlySequence<byte> data)
    {
        UpstreamBytes += data.Length;
        if (Intercepted != 0 || Discarded != 0 || Redirected is not null)
        {
            return;
        }

        if (Started)
        {
            WriteBody(data);
            return;
        }

        var head = _head!;
        var take = (int)Math.Min(data.Length, head.Length - _headLength);
        data.Slice(0, take).CopyTo(head.AsSpan(_headLength));
        _headLength += take;
        ResponseHead? parsed;
        long consumed;
        try
        {
            if (!ResponseHeadParser.TryParse(new ReadOnlySequence<byte>(head, 0, _headLength), _allowStatusLine, out parsed, out consumed))
            {
                if (_headLength == head.Length)
                {
                    throw UpstreamErrors.Protocol("upstream sent too big header", UpstreamErrors.ReadingHeader);
                }

                return;
            }
        }
        catch (ResponseHeadException e)
        {
            throw UpstreamErrors.Protocol(e.Message, UpstreamErrors.ReadingHeader);
        }

        UpstreamStatus = parsed.Status;
        RawHeadEnd = ContentAt + consumed - (_headLength - take);
        HeaderAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (NextUpstream?.Invoke(parsed.Status) == true)
        {
            Discarded = parsed.Status;
            return;
        }

        if (ResponseHeaders.Intercepts(_request, _settings, parsed.Status))
        {
            Intercepted = parsed.Status;
            return;
        }

        if (AccelRedirect.Follow(_request, _settings.IgnoreHeaders, parsed.Headers) is { } redirect)
        {
            Redirected = redirect;
            return;
        }

        var response = _request.Features.Get<IHttpResponseFeature>()!;
        ResponseHeaders.Copy(parsed, _settings, response);

        // nginx passes an upstream's relative Location as it is (ngx_http_upstream_rewrite_location does not make it
        // the response's location, so the header filter leaves it alone).
        var location = response.Headers.Location;
        response.Headers.Location = default;
        Starting?.Invoke(this);
        _request.StartResponse(parsed.Status, parsed.Reason);
        if (location.Count > 0)
        {
            response.Headers.Location = location;
        }

        Started = true;

        // nginx relays what follows a 204/205/1xx head; Kestrel refuses a body on them, so it is read and dropped
        _noBody = HeaderOnlyStatus.HasNoBody(parsed.Status);
        _mustStart = parsed.Get("Content-Length") is null;
        if (consumed < _headLength)
        {
            WriteBody(new ReadOnlySequence<byte>(head, (int)consumed, _headLength - (int)consumed));
        }

        WriteBody(data.Slice(take));
    }

    private void WriteBody(ReadOnlySequence<byte> data)
    {
        if (data.Length == 0 || _noBody)
        {
            return;
        }

        var writer = _body.Writer;
        foreach (var segment in data)
        {
            // Not BuffersExtensions.Write: before the response starts, Kestrel's span for a size hint of 0 can be
            // empty. Ask for the size, copy what was given.
            var rest = segment.Span;
            while (rest.Length > 0)
            {
                var span = writer.GetSpan(Math.Min(rest.Length, 65536));
                var n = Math.Min(span.Length, rest.Length);
                rest[..n].CopyTo(span);
                writer.Advance(n);
                rest = rest[n..];
            }
        }

        _pending += data.Length;
        _request.CountBodyBytes(data.Length);
    }

    /// <summary>Sends what was written to the client (or, without <paramref name="flush"/>, leaves it for the end of
    /// the response); false when the client has gone away.</summary>
    public async ValueTask<bool> FlushAsync(bool flush = true)
    {
        if (_mustStart)
        {
            // Commit the head now: with no Content-Length from the upstream the body is chunked, as nginx sends it,
            // even when it turns out empty.
            _mustStart = false;
            await _body.StartAsync(_request.Aborted);
        }

        if (_pending == 0 || !flush)
        {
            return true;
        }

        _pending = 0;
        var result = await _body.Writer.FlushAsync(_request.Aborted);
        return !result.IsCanceled && !result.IsCompleted;
    }

    public void Dispose()
    {
        if (_head is { } head)
        {
            _head = null;
            ArrayPool<byte>.Shared.Return(head);
        }
    }
}
