using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Body;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// The body proxy_pass sends: none, bytes held in memory (proxy_set_body, or a client body that fits nginx's
/// client_body_buffer_size of 16k), a <see cref="ClientBodyBuffer"/> (a buffered chunked body: memory, then a temp file),
/// or the client's body streamed as it arrives (by Content-Length, or re-chunked with proxy_request_buffering off and
/// HTTP/1.1). Only the first three can be sent again on a next_upstream retry.
/// </summary>
internal sealed class RequestBody : IAsyncDisposable
{
    /// <summary>nginx's client_body_buffer_size on 64-bit platforms.</summary>
    public const int MemoryLimit = ClientBodyBuffer.MemoryLimit;

    private readonly byte[]? _bytes;
    private readonly ClientBodyBuffer? _buffered;
    private readonly PipeReader? _client;

    private RequestBody(long length, byte[]? bytes, ClientBodyBuffer? file, PipeReader? client, bool chunked)
    {
        Length = length;
        _bytes = bytes;
        _buffered = file;
        _client = client;
        Chunked = chunked;
    }

    public static readonly RequestBody None = new(-1, null, null, null, false);

    /// <summary>The Content-Length to send; -1 for none or chunked.</summary>
    public long Length { get; }

    public bool Chunked { get; }

    /// <summary>True when the body can be sent again (not a live stream from the client).</summary>
    public bool Replayable => _client is null;

    /// <summary>True once streaming from the client started (a retry is then impossible).</summary>
    public bool Started { get; private set; }

    public static RequestBody FromBytes(byte[] bytes) => new(bytes.Length, bytes, null, null, false);

    /// <summary>Reads the client body as nginx would before connecting, or sets it up to stream.</summary>
    public static async ValueTask<RequestBody> FromClientAsync(IUpstreamRequest request, bool buffering, int httpVersion, CancellationToken cancel)
    {
        var features = request.Features;
        var headers = features.Get<IHttpRequestFeature>()!.Headers;
        var reader = features.Get<IRequestBodyPipeFeature>()?.Reader ?? PipeReader.Create(features.Get<IHttpRequestFeature>()!.Body);
        var chunked = RequestBodyLength.IsUnknown(features);
        if (!chunked)
        {
            if (headers.ContentLength is not { } length)
            {
                return None;
            }

            if (length == 0)
            {
                // A client's "Content-Length: 0" goes on as such (nginx's $proxy_internal_body_length).
                return FromBytes([]);
            }

            if (buffering && length <= MemoryLimit)
            {
                var bytes = new byte[length];
                var n = await ReadAllAsync(reader, bytes, cancel);
                return n == length ? FromBytes(bytes) : throw new IOException("client prematurely closed connection");
            }

            return new RequestBody(length, null, null, reader, false);
        }

        if (!buffering && httpVersion == 11)
        {
            return new RequestBody(-1, null, null, reader, true);
        }

        // Buffered chunked body: memory up to 16k, then a temp file (deleted on close), sent with a Content-Length.
        var buffered = await ClientBodyBuffer.ReadAsync(reader, cancel);
        if (buffered.ToArrayIfInMemory() is { } inMemory)
        {
            await buffered.DisposeAsync();
            return FromBytes(inMemory);
        }

        return new RequestBody(buffered.Length, null, buffered, null, false);
    }

    /// <summary>Writes the body to <paramref name="output"/>, flushing as it goes; <paramref name="restartTimer"/> runs
    /// before each write (proxy_send_timeout is between two writes).</summary>
    public async ValueTask SendAsync(PipeWriter output, Action restartTimer, CancellationToken cancel)
    {
        if (_bytes is not null)
        {
            restartTimer();
            await output.WriteAsync(_bytes, cancel);
            return;
        }

        if (_buffered is not null)
        {
            await _buffered.CopyToAsync(static async (piece, s) =>
            {
                s.restartTimer();
                await s.output.WriteAsync(piece, s.cancel);
            }, (output, restartTimer, cancel), cancel);
            return;
        }

        if (_client is null)
        {
            return;
        }

        Started = true;
        long sent = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _client.ReadAsync(cancel);
            }
            catch (IOException e)
            {
                // The client's side failed mid-stream (limit, bad chunk, gone): not the upstream's fault.
                throw new ClientBodyReadException(e);
            }

            var buffer = result.Buffer;
            if (buffer.Length > 0)
            {
                restartTimer();
                if (Chunked)
                {
                    Protocols.Http1.HttpRequestWriter.WriteChunkHeader(output, buffer.Length);
                }

                foreach (var segment in buffer)
                {
                    PipeCopy.Copy(output, segment.Span);
                }

                if (Chunked)
                {
                    Protocols.Http1.HttpRequestWriter.WriteChunkEnd(output);
                }

                sent += buffer.Length;
                var flush = await output.FlushAsync(cancel);
                if (flush.IsCompleted)
                {
                    throw new IOException("upstream closed");
                }
            }

            _client.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        if (Chunked)
        {
            Protocols.Http1.HttpRequestWriter.WriteLastChunk(output);
        }
        else if (sent != Length)
        {
            throw new ClientBodyException();
        }
    }

    private static async ValueTask<long> ReadAllAsync(PipeReader reader, byte[] target, CancellationToken cancel)
    {
        long n = 0;
        while (n < target.Length)
        {
            var result = await reader.ReadAsync(cancel);
            var buffer = result.Buffer;
            var take = Math.Min(buffer.Length, target.Length - n);
            buffer.Slice(0, take).CopyTo(target.AsSpan((int)n));
            n += take;
            reader.AdvanceTo(buffer.GetPosition(take));
            if (result.IsCompleted)
            {
                break;
            }
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffered is not null)
        {
            await _buffered.DisposeAsync();
        }
    }
}

/// <summary>Reading the client's body failed while it was streamed upstream (proxy_request_buffering off): a
/// client_max_body_size overrun or a malformed chunk (Kestrel's BadHttpRequestException) or the client going away.</summary>
internal sealed class ClientBodyReadException(IOException inner) : IOException(inner.Message, inner);

/// <summary>The client's body ended before its Content-Length (the client went away).</summary>
internal sealed class ClientBodyException() : IOException("client prematurely closed connection");
