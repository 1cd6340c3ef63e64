using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.Bench.RequestAllocations;
using NginxLite.Routing.Compilation;
using NginxLite.Server.Hosting;

// Serves `return 200 "hello"` in process and sends N keep-alive requests on C connections with preallocated buffers
// (the client allocates next to nothing), then prints bytes allocated per request (GC.GetTotalAllocatedBytes) and the
// types the runtime's AllocationTick events sampled (one event per ~100 KB allocated).
// Upstream paths: /uwsgi (uwsgi_pass) and /proxy (proxy_pass, keepalive 8) go to a Python backend on a Unix socket,
// started here and stopped by its PID; its allocations are not the server's (another process).
// Usage: dotnet run -c Release --project tools/bench/RequestAllocations -- [requests=200000] [connections=4] [path=/hello|/uwsgi|/proxy]
var requests = args.Length > 0 ? int.Parse(args[0]) : 200_000;
var connections = args.Length > 1 ? int.Parse(args[1]) : 4;
var path = args.Length > 2 ? args[2] : "/hello";

var prefix = Path.Combine(Path.GetTempPath(), "nginxlite-alloc-" + Environment.ProcessId) + "/";
Directory.CreateDirectory(prefix + "logs");
Directory.CreateDirectory(prefix + "html");
File.WriteAllBytes(prefix + "html/1k.bin", new byte[1024]);
var port = FreePort();
var backendSocket = prefix + "backend.sock";
using var backend = path.StartsWith("/uwsgi", StringComparison.Ordinal) || path.StartsWith("/proxy", StringComparison.Ordinal)
    ? UpstreamBackend.Start(path.StartsWith("/uwsgi", StringComparison.Ordinal) ? "uwsgi" : "http", backendSocket, prefix)
    : null;
var load = RouteTableLoader.LoadText($$"""
    events {}
    http {
        access_log off;
        keepalive_requests 100000000;
        upstream backend { server unix:{{backendSocket}}; keepalive 8; }
        server {
            listen 127.0.0.1:{{port}}; root html;
            location = /hello { return 200 "hello"; }
            location /uwsgi { uwsgi_pass unix:{{backendSocket}}; }
            location /proxy { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
        }
    }
    """, prefix);
await using var server = new NginxLiteServer(load.Table ?? throw new InvalidOperationException(string.Join("\n", load.Test.Diagnostics)));
await server.StartAsync();

var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
await RunAsync(2_000 * connections); // warm-up: JIT, tiering, pools
using var listener = new AllocationListener();
var before = GC.GetTotalAllocatedBytes(precise: true);
var gen0 = GC.CollectionCount(0);
await RunAsync(requests);
var after = GC.GetTotalAllocatedBytes(precise: true);
Console.WriteLine($"{requests} requests of {path} on {connections} keep-alive connections: {(after - before) / (double)requests:F1} bytes allocated per request, {GC.CollectionCount(0) - gen0} gen0 GCs");
foreach (var (type, bytes) in listener.ByType.OrderByDescending(e => e.Value).Take(15))
{
    Console.WriteLine($"  ~{bytes / (double)requests,8:F1} B/request  {type}");
}

async Task RunAsync(int total)
{
    var per = total / connections;
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < per; i++)
        {
            await socket.SendAsync(request.AsMemory(), SocketFlags.None); // the ValueTask overload: no Task per send
            var got = 0;
            while (!Complete(buffer.AsSpan(0, got)))
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None);
                got += n > 0 ? n : throw new IOException("the server closed the connection");
            }
        }
    }));
}

// a response is complete when the head has ended and Content-Length bytes follow it
static bool Complete(ReadOnlySpan<byte> data)
{
    var end = data.IndexOf("\r\n\r\n"u8);
    if (end < 0)
    {
        return false;
    }

    var cl = data[..end].IndexOf("Content-Length: "u8);
    var length = 0;
    for (var i = cl + 16; i < end && data[i] != '\r'; i++)
    {
        length = (length * 10) + (data[i] - '0');
    }

    return data.Length >= end + 4 + length;
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

/// <summary>GC AllocationTick (keyword 0x1, verbose): a sample per ~100 KB allocated, with the type that crossed it.</summary>
internal sealed class AllocationListener : EventListener
{
    public Dictionary<string, long> ByType { get; } = [];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload is null)
        {
            return;
        }

        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")]?.ToString() ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
        lock (ByType)
        {
            ByType[type] = ByType.GetValueOrDefault(type) + amount;
        }
    }
}
