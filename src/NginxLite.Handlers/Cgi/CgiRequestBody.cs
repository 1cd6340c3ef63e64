using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// What goes to the script's stdin. A body with Content-Length streams through as it arrives. A chunked body is
/// de-chunked (by Kestrel) and read whole first — bounded by <c>client_max_body_size</c> — because RFC 3875 §4.1.2
/// wants CONTENT_LENGTH and scripts read exactly that many bytes (nginx buffers such bodies the same way).
/// </summary>
public sealed class CgiRequestBody
{
    private CgiRequestBody(Stream? stream, long? length, int errorStatus)
    {
        Stream = stream;
        Length = length;
        ErrorStatus = errorStatus;
    }

    /// <summary>The bytes for stdin, or null for none.</summary>
    public Stream? Stream { get; }

    /// <summary>CONTENT_LENGTH, or null when there is no body.</summary>
    public long? Length { get; }

    public int ErrorStatus { get; }

    public static async ValueTask<CgiRequestBody> ReadAsync(IUpstreamRequest request)
    {
        var feature = request.Features.Get<IHttpRequestFeature>()!;
        var headers = feature.Headers;
        if (headers.ContentLength is { } length)
        {
            return new CgiRequestBody(length > 0 ? feature.Body : null, length, 0);
        }

        if (headers.TransferEncoding.Count == 0)
        {
            return new CgiRequestBody(null, null, 0);
        }

        var limit = request.Settings.ClientMaxBodySize;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await feature.Body.ReadAsync(chunk, request.Aborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (limit > 0 && buffer.Length > limit)
            {
                request.Log(ErrorLevel.Error, $"client intended to send too large chunked body: {buffer.Length} bytes");
                return new CgiRequestBody(null, null, 413);
            }
        }

        buffer.Position = 0;
        return new CgiRequestBody(buffer, buffer.Length, 0);
    }
}
