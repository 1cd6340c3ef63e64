using System.Buffers;
using System.IO.Pipelines;

namespace NginxLite.Handlers.Body;

/// <summary>
/// A whole client request body read before the upstream or script gets it, as nginx's
/// ngx_http_read_client_request_body keeps it: in memory up to client_body_buffer_size (16k on 64-bit platforms),
/// beyond that in a temp file (nginx's client_body_temp_path; here TMPDIR, deleted on close), so memory stays bounded
/// whatever the body's size and its length is known (Content-Length / CONTENT_LENGTH for a chunked body).
/// proxy_pass, fastcgi_pass/uwsgi_pass and cgi all buffer through this one class.
/// </summary>
internal sealed class ClientBodyBuffer : IAsyncDisposable
{
    /// <summary>nginx's client_body_buffer_size default on 64-bit Linux (two pages).</summary>
    public const int MemoryLimit = 16 * 1024;

    /// <summary>The largest piece <see cref="CopyToAsync{TState}"/> hands over at once.</summary>
    public const int PieceSize = 64 * 1024;

    private byte[]? _memory;
    private int _memoryLength;
    private FileStream? _file;

    private ClientBodyBuffer()
    {
    }

    /// <summary>The body's length in bytes.</summary>
    public long Length { get; private set; }

    /// <summary>True when the body went to a temp file (it outgrew <see cref="MemoryLimit"/>).</summary>
    public bool InFile => _file is not null;

    /// <summary>Reads <paramref name="reader"/> to its end. Kestrel has already removed any chunked framing; a body
    /// over client_max_body_size surfaces as the reader's BadHttpRequestException (413).</summary>
    public static async ValueTask<ClientBodyBuffer> ReadAsync(PipeReader reader, CancellationToken cancel)
    {
        var body = new ClientBodyBuffer();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancel);
                foreach (var segment in result.Buffer)
                {
                    await body.AppendAsync(segment, cancel);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            if (body._file is not null)
            {
                await body._file.FlushAsync(cancel);
            }

            return body;
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>The body as one array when it stayed in memory; null when it is in a file.</summary>
    public byte[]? ToArrayIfInMemory() => _file is null ? (_memory ?? []).AsSpan(0, _memoryLength).ToArray() : null;

    /// <summary>Hands the body from its start to <paramref name="write"/> in pieces of at most <see cref="PieceSize"/>
    /// bytes, awaiting each; can be called again (a retry on another peer sends it again).</summary>
    public async ValueTask CopyToAsync<TState>(Func<ReadOnlyMemory<byte>, TState, ValueTask> write, TState state, CancellationToken cancel)
    {
        if (_file is null)
        {
            if (_memoryLength > 0)
            {
                await write(_memory.AsMemory(0, _memoryLength), state);
            }

            return;
        }

        _file.Position = 0;
        var piece = ArrayPool<byte>.Shared.Rent(PieceSize);
        try
        {
            int n;
            while ((n = await _file.ReadAsync(piece.AsMemory(0, PieceSize), cancel)) > 0)
            {
                await write(piece.AsMemory(0, n), state);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        Length += data.Length;
        if (_file is null && _memoryLength + data.Length <= MemoryLimit)
        {
            _memory ??= ArrayPool<byte>.Shared.Rent(MemoryLimit);
            data.Span.CopyTo(_memory.AsSpan(_memoryLength));
            _memoryLength += data.Length;
            return;
        }

        if (_file is null)
        {
            // nginx logs "a client request body is buffered to a temporary file" ([warn]); here it happens silently.
            _file = new FileStream(Path.Combine(Path.GetTempPath(), "nginxlite-body-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, PieceSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            if (_memoryLength > 0)
            {
                await _file.WriteAsync(_memory.AsMemory(0, _memoryLength), cancel);
            }

            ReturnMemory();
        }

        await _file.WriteAsync(data, cancel);
    }

    private void ReturnMemory()
    {
        if (_memory is not null)
        {
            ArrayPool<byte>.Shared.Return(_memory);
            _memory = null;
            _memoryLength = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
            _file = null;
        }

        ReturnMemory();
    }
}
