using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using NginxLite.Interop.Tests.Hostile;
using NginxLite.Interop.Tests.Servers;
using NginxLite.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// Issue 4's streaming goal: a 1 GiB upload and a 1 GiB download through <c>proxy_pass http://unix:…:</c> with
/// <c>proxy_request_buffering off</c> and <c>proxy_buffering off</c> keep nginxlite's RSS within 64 MiB of idle. The
/// backend is the python echo backend (it hashes the upload; the download is streamed by it); the RSS is sampled from
/// /proc every 20 ms while the bytes flow. Memory, not time, is asserted.
/// </summary>
public sealed class StreamingMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long GiB = 1L << 30;
    private const long AllowedGrowth = 64L << 20;
    private readonly TempDir _dir = new("nginxlite-stream-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private (EchoBackend Backend, ServerProcess Server) Start()
    {
        var socket = Path.Combine(_dir.Path, "echo.sock");
        var backend = new EchoBackend("unix:" + socket);
        var server = ServerProcess.Start(ServerFlavor.NginxLite, _dir.Dir("lite"), port => $$"""
            error_log logs/error.log;
            events {}
            http {
                access_log off;
                client_max_body_size 0;
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://unix:{{socket}}:;
                        proxy_request_buffering off;
                        proxy_buffering off;
                        proxy_http_version 1.1;
                    }
                }
            }
            """);
        return (backend, server);
    }

    /// <summary>Runs <paramref name="transfer"/> while sampling the server's RSS; returns the peak.</summary>
    private static async Task<long> PeakRssDuringAsync(int pid, Func<Task> transfer)
    {
        using var done = new CancellationTokenSource();
        var peak = ServerMemory.RssBytes(pid);
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, ServerMemory.RssBytes(pid));
                await Task.Delay(20);
            }
        });
        try
        {
            await transfer();
        }
        finally
        {
            await done.CancelAsync();
            await sampler;
        }

        return Math.Max(peak, ServerMemory.RssBytes(pid));
    }

    private async Task<long> IdleRssAsync(ServerProcess server)
    {
        // Warm the path (JIT-free AOT, but pools and the first connection allocate once) before taking "idle".
        for (var i = 0; i < 3; i++)
        {
            using var r = await _http.GetAsync($"http://127.0.0.1:{server.Port}/bytes/65536");
            await r.Content.ReadAsByteArrayAsync();
        }

        return ServerMemory.RssBytes(server.Pid);
    }

    [Fact]
    public async Task ProxyPass_OneGiBUpload_Unbuffered_BodyIntactAndRssWithin64MiBOfIdle()
    {
        var (backend, server) = Start();
        using var _ = backend;
        using var __ = server;
        var idle = await IdleRssAsync(server);
        string? answer = null;
        var sent = new GeneratedBody(GiB);

        var peak = await PeakRssDuringAsync(server.Pid, async () =>
        {
            using var content = new StreamContent(sent);
            content.Headers.ContentLength = GiB;
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await _http.PostAsync($"http://127.0.0.1:{server.Port}/upload", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answer = await response.Content.ReadAsStringAsync();
        });

        using var json = JsonDocument.Parse(answer!);
        Assert.Equal(GiB, json.RootElement.GetProperty("body_length").GetInt64());
        Assert.Equal(sent.Sha256Hex(), json.RootElement.GetProperty("body_sha256").GetString());
        output.WriteLine($"upload 1 GiB: RSS idle {idle >> 20} MiB, peak {peak >> 20} MiB (+{(peak - idle) >> 20} MiB)");
        Assert.True(peak - idle <= AllowedGrowth, $"RSS grew {(peak - idle) >> 20} MiB (idle {idle >> 20}, peak {peak >> 20})");
    }

    [Fact]
    public async Task ProxyPass_OneGiBDownload_Unbuffered_AllBytesAndRssWithin64MiBOfIdle()
    {
        var (backend, server) = Start();
        using var _ = backend;
        using var __ = server;
        var idle = await IdleRssAsync(server);
        long received = 0;
        var allX = true;

        var peak = await PeakRssDuringAsync(server.Pid, async () =>
        {
            using var response = await _http.GetAsync($"http://127.0.0.1:{server.Port}/bytes/{GiB}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                allX &= !buffer.AsSpan(0, n).ContainsAnyExcept((byte)'x');
                received += n;
            }
        });

        Assert.Equal(GiB, received);
        Assert.True(allX, "the body is the backend's 'x' bytes only");
        output.WriteLine($"download 1 GiB: RSS idle {idle >> 20} MiB, peak {peak >> 20} MiB (+{(peak - idle) >> 20} MiB)");
        Assert.True(peak - idle <= AllowedGrowth, $"RSS grew {(peak - idle) >> 20} MiB (idle {idle >> 20}, peak {peak >> 20})");
    }

    /// <summary>A read-only stream of <c>length</c> pseudo-random bytes (fixed seed), hashed as it is read.</summary>
    private sealed class GeneratedBody(long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Random _random = new(4);
        private readonly long _length = length;
        private long _left = length;
        private string? _hex;

        /// <summary>The hash of everything read (taken at the end: StreamContent disposes the stream).</summary>
        public string Sha256Hex() => _hex ?? throw new InvalidOperationException($"{_left} bytes were never read");

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, _left);
            _random.NextBytes(buffer[..n]);
            _hash.AppendData(buffer[..n]);
            _left -= n;
            if (_left == 0 && _hex is null)
            {
                _hex = Convert.ToHexStringLower(_hash.GetHashAndReset());
            }

            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _left;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
