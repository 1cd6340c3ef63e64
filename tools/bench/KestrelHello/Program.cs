using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The Kestrel ceiling: KestrelServer + one IHttpApplication answering every request with 200 "hello", the way
// NginxLite hosts Kestrel (docs/engine.md), with none of NginxLite's code. Measures what this machine gives Kestrel.
// Usage: KestrelHello PORT   (env KESTREL_INLINE=1: UnsafePreferInlineScheduling; KESTREL_IOQUEUES=N: IOQueueCount)
var port = int.Parse(args[0]);
var options = new KestrelServerOptions { AddServerHeader = false };
options.Listen(IPAddress.Loopback, port);
var transportOptions = new SocketTransportOptions
{
    UnsafePreferInlineScheduling = Environment.GetEnvironmentVariable("KESTREL_INLINE") == "1",
};
if (int.TryParse(Environment.GetEnvironmentVariable("KESTREL_IOQUEUES"), out var ioQueues))
{
    transportOptions.IOQueueCount = ioQueues;
}

var transport = new SocketTransportFactory(Options.Create(transportOptions), NullLoggerFactory.Instance);
using var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
await server.StartAsync(new Hello(), CancellationToken.None);
var stop = new TaskCompletionSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
using var quit = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGQUIT, c => { c.Cancel = true; stop.TrySetResult(); });
await stop.Task;
await server.StopAsync(CancellationToken.None);

internal sealed class Hello : IHttpApplication<IFeatureCollection>
{
    private static readonly byte[] Body = "hello"u8.ToArray();

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public Task ProcessRequestAsync(IFeatureCollection features)
    {
        var response = features.Get<IHttpResponseFeature>()!;
        response.StatusCode = 200;
        response.Headers.ContentLength = Body.Length;
        response.Headers.ContentType = "text/plain";
        return features.Get<IHttpResponseBodyFeature>()!.Writer.WriteAsync(Body).AsTask();
    }

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }
}
