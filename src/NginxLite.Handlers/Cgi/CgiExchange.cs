using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using NginxLite.Handlers.Posix;
using NginxLite.Protocols.Cgi;
using NginxLite.Routing;

namespace NginxLite.Handlers.Cgi;

/// <summary>
/// One running script: the request body to its stdin, its stderr to the error log, its stdout parsed as a CGI
/// header block and then streamed to the client as it comes (never buffered whole). Silence longer than
/// <c>cgi_timeout</c> kills the process group (504 before the headers), and so does the client going away.
/// The <c>cgi_max_procs</c> slot goes back once the script is reaped.
/// </summary>
internal sealed class CgiExchange(IUpstreamRequest request, CgiScript script, SpawnedProcess process, TimeSpan timeout, CgiProcessGate.Slot slot)
{
    /// <summary>Bigger header blocks are refused (nginx: "upstream sent too big header").</summary>
    private const int MaxHeaderBytes = 64 * 1024;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Proxy-Connection",
    };

    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
    private bool _headerSent;

    public async ValueTask<HandlerResult> RunAsync(CgiRequestBody body)
    {
        _stop.CancelAfter(timeout);
        var stdin = WriteStdinAsync(body);
        var stderr = PumpStderrAsync();
        var stdout = PipeReader.Create(new SocketReadStream(process.Stdio));
        var finished = false;
        try
        {
            var result = await ExchangeAsync(stdout);
            finished = true;
            return result;
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            request.Log(ErrorLevel.Info, $"client closed connection, killed CGI script \"{script.FileName}\" (pid {process.Pid})");
            return HandlerResult.Sent;
        }
        catch (OperationCanceledException)
        {
            var phase = _headerSent ? "reading upstream" : "reading response header from upstream";
            request.Log(ErrorLevel.Error, $"upstream timed out (110: Connection timed out) while {phase}, CGI script \"{script.FileName}\" (pid {process.Pid}) killed");
            return _headerSent ? Abort() : HandlerResult.Error(504);
        }
        catch (IOException e) when (_headerSent)
        {
            // The client went away mid-body (or the script's socket broke): nothing more can be said to the client.
            request.Log(ErrorLevel.Info, $"cgi: {e.Message} while sending to client");
            return Abort();
        }
        finally
        {
            if (!finished)
            {
                process.KillGroup();
            }

            await stdout.CompleteAsync();
            await FinishAsync(stdin, stderr);
        }
    }

    private async ValueTask<HandlerResult> ExchangeAsync(PipeReader stdout)
    {
        var head = new CgiResponseHead();
        ReadResult read;
        while (true)
        {
            read = await stdout.ReadAsync(_stop.Token);
            _stop.CancelAfter(timeout);
            var buffer = read.Buffer;
            bool done;
            SequencePosition consumed;
            try
            {
                done = ParseHead(buffer, head, out consumed);
            }
            catch (CgiProtocolException e)
            {
                process.KillGroup();
                request.Log(ErrorLevel.Error, $"{e.Message} while reading response header from upstream, CGI script \"{script.FileName}\"");
                return HandlerResult.Error(502);
            }

            if (done)
            {
                stdout.AdvanceTo(consumed);
                break;
            }

            stdout.AdvanceTo(consumed, buffer.End);
            if (head.HeaderBytes + buffer.Slice(consumed).Length > MaxHeaderBytes)
            {
                process.KillGroup();
                request.Log(ErrorLevel.Error, $"upstream sent too big header while reading response header from upstream, CGI script \"{script.FileName}\"");
                return HandlerResult.Error(502);
            }

            if (read.IsCompleted)
            {
                var why = head.HeaderBytes == 0 && buffer.Slice(consumed).IsEmpty ? "no output" : "an incomplete header block";
                request.Log(ErrorLevel.Error, $"upstream prematurely closed connection while reading response header from upstream, CGI script \"{script.FileName}\" wrote {why}{await ExitReasonAsync()}");
                return HandlerResult.Error(502);
            }
        }

        if (head.IsLocalRedirect && !head.NphStatusLine)
        {
            // RFC 3875 §6.2.2: the server serves the new URI itself; the script's body is discarded.
            process.KillGroup();
            return HandlerResult.Redirect(head.Location!);
        }

        var status = head.Status ?? (head.Location is not null ? 302 : 200);
        var response = request.Features.Get<IHttpResponseFeature>()!;
        foreach (var (name, value) in head.Fields)
        {
            if (!HopByHop.Contains(name))
            {
                response.Headers[name] = StringValues.Concat(response.Headers[name], value);
            }
        }

        if (head.ContentType is { } type)
        {
            response.Headers.ContentType = type;
        }

        if (head.Location is { } location)
        {
            response.Headers.Location = location;
        }

        request.StartResponse(status, head.Reason);
        _headerSent = true;
        var sendBody = request.Method != "HEAD" && !HeaderOnlyStatus.HasNoBody(status);
        var writer = request.Features.Get<IHttpResponseBodyFeature>()!.Writer;
        while (true)
        {
            read = await stdout.ReadAsync(_stop.Token);
            var buffer = read.Buffer;
            _stop.CancelAfter(timeout);
            if (sendBody && !buffer.IsEmpty)
            {
                foreach (var segment in buffer)
                {
                    var flush = await writer.WriteAsync(segment, request.Aborted);
                    if (flush.IsCanceled || flush.IsCompleted)
                    {
                        throw new OperationCanceledException();
                    }
                }

                request.CountBodyBytes(buffer.Length);
                stdout.AdvanceTo(buffer.End);
            }
            else
            {
                stdout.AdvanceTo(buffer.End);
            }

            if (read.IsCompleted)
            {
                return HandlerResult.Sent;
            }
        }
    }

    private static bool ParseHead(ReadOnlySequence<byte> buffer, CgiResponseHead head, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            return CgiResponseHeaderReader.TryRead(ref reader, head);
        }
        finally
        {
            consumed = reader.Position;
        }
    }

    private HandlerResult Abort()
    {
        request.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();
        return HandlerResult.Sent;
    }

    /// <summary>The body to stdin, then EOF (shutdown of the write side). A script that exits without reading it is fine.</summary>
    private async Task WriteStdinAsync(CgiRequestBody body)
    {
        try
        {
            await body.WriteToAsync(process.Stdio, _stop.Token);
            process.Stdio.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Each stderr line becomes an error-log line, as nginx logs "FastCGI sent in stderr".</summary>
    private async Task PumpStderrAsync()
    {
        var reader = PipeReader.Create(new SocketReadStream(process.Stderr));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(_stop.Token);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } lf)
                {
                    LogStderr(buffer.Slice(0, lf));
                    buffer = buffer.Slice(buffer.GetPosition(1, lf));
                }

                if (read.IsCompleted || buffer.Length > 4096)
                {
                    if (!buffer.IsEmpty)
                    {
                        LogStderr(buffer);
                    }

                    reader.AdvanceTo(buffer.End);
                    if (read.IsCompleted)
                    {
                        return;
                    }

                    continue;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void LogStderr(ReadOnlySequence<byte> line)
    {
        var text = Encoding.UTF8.GetString(line).TrimEnd('\r');
        var phase = _headerSent ? "reading upstream" : "reading response header from upstream";
        request.Log(ErrorLevel.Error, $"CGI script \"{script.FileName}\" sent in stderr: \"{text}\" while {phase}");
    }

    /// <summary>After stdout ends: stdin done, stderr drained (bounded: a script may close stdout and linger), then
    /// the sockets closed and the child reaped in the background (killed if it outlives cgi_timeout).</summary>
    private async Task FinishAsync(Task stdin, Task stderr)
    {
        if (await Task.WhenAny(stderr, Task.Delay(TimeSpan.FromSeconds(1))) != stderr)
        {
            _stop.Cancel();
        }

        await stderr;
        _stop.Cancel();
        await stdin;
        process.Dispose();
        _stop.Dispose();
        _ = ReapAndReleaseAsync();
    }

    /// <summary>The cgi_max_procs slot is given back once the script is reaped, not at stdout EOF: a script that
    /// lingers still uses the CPU the cap shares out.</summary>
    private async Task ReapAndReleaseAsync()
    {
        try
        {
            await process.ReapAsync(timeout);
        }
        finally
        {
            slot.Dispose();
        }
    }

    /// <summary>", exit status 1" once the script has exited (it just closed stdout, so it usually has).</summary>
    private async ValueTask<string> ExitReasonAsync()
    {
        await process.WaitForExitAsync(TimeSpan.FromMilliseconds(100));
        if (process.ExitStatus is not { } status)
        {
            return "";
        }

        var signal = status & 0x7f;
        return signal == 0 ? $", exit status {(status >> 8) & 0xff}" : $", killed by signal {signal}";
    }
}
