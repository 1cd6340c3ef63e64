using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Body;
using NginxLite.Routing;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// What goes to the script's stdin. A body with Content-Length streams through as it arrives. A chunked body is
/// de-chunked (by Kestrel) and read whole first — bounded by <c>client_max_body_size</c> — because RFC 3875 §4.1.2
/// wants CONTENT_LENGTH and scripts read exactly that many bytes (nginx buffers such bodies the same way for
/// fastcgi_pass). It is held in a <see cref="ClientBodyBuffer"/>: memory up to client_body_buffer_size, then a temp
/// file, so a large upload costs disk, not server memory.
/// </summary>
internal sealed class CgiRequestBody : IAsyncDisposable
{
    private const int PieceSize = ClientBodyBuffer.PieceSize;

    private readonly Stream? _streamed;
    private ClientBodyBuffer? _buffered;

    private CgiRequestBody(Stream? streamed, ClientBodyBuffer? buffered, long? length, int errorStatus)
    {
        _streamed = streamed;
        _buffered = buffered;
        Length = length;
        ErrorStatus = errorStatus;
    }

    /// <summary>CONTENT_LENGTH, or null when there is no body.</summary>
    public long? Length { get; }

    /// <summary>Non-zero when the body could not be read: the status to answer with (413, 400).</summary>
    public int ErrorStatus { get; }

    public static async ValueTask<CgiRequestBody> ReadAsync(IUpstreamRequest request)
    {
        var feature = request.Features.Get<IHttpRequestFeature>()!;
        var headers = feature.Headers;
        if (headers.ContentLength is { } length)
        {
            return new CgiRequestBody(length > 0 ? feature.Body : null, null, length, 0);
        }

        if (headers.TransferEncoding.Count == 0 && !RequestBodyLength.IsUnknown(request.Features))
        {
            return new CgiRequestBody(null, null, null, 0);
        }

        // The body pipe counts the de-chunked bytes against client_max_body_size (BodyLimitReader in the server).
        var reader = request.Features.Get<IRequestBodyPipeFeature>()?.Reader ?? PipeReader.Create(feature.Body);
        try
        {
            var buffered = await ClientBodyBuffer.ReadAsync(reader, request.Aborted);
            return new CgiRequestBody(null, buffered, buffered.Length, 0);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            request.Log(ErrorLevel.Error, e.Message);
            return new CgiRequestBody(null, null, null, 413);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            request.Log(ErrorLevel.Info, "client prematurely closed connection while reading client request body");
            return new CgiRequestBody(null, null, null, 400);
        }
    }

    /// <summary>Sends the body to the script's stdin (the caller shuts the socket down afterwards for EOF).</summary>
    public async ValueTask WriteToAsync(Socket stdin, CancellationToken cancel)
    {
        if (_buffered is not null)
        {
            await _buffered.CopyToAsync(static async (piece, s) => await s.stdin.SendAsync(piece, SocketFlags.None, s.cancel),
                (stdin, cancel), cancel);
            return;
        }

        if (_streamed is null)
        {
            return;
        }

        var piece = System.Buffers.ArrayPool<byte>.Shared.Rent(PieceSize);
        try
        {
            int n;
            while ((n = await _streamed.ReadAsync(piece.AsMemory(0, PieceSize), cancel)) > 0)
            {
                await stdin.SendAsync(piece.AsMemory(0, n), SocketFlags.None, cancel);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(piece);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffered is not null)
        {
            await _buffered.DisposeAsync();
            _buffered = null;
        }
    }
}
