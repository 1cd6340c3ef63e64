using System.Net;
using System.Net.Sockets;
using NginxLite.Handlers.Upstream;
using NginxLite.Routing.Upstreams;

namespace NginxLite.Handlers.Tests.Upstream;

/// <summary>The peer API against real loopback sockets: connect, failures, keepalive reuse, no live upstreams.</summary>
public class PeerSelectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Connect_Refused_ThrowsNginxWording_AndCountsFailure()
    {
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new("127.0.0.1:1", FailTimeout: TimeSpan.FromSeconds(10)), new("127.0.0.1:2", FailTimeout: TimeSpan.FromSeconds(10))]));
        var selection = peers.Start(group, null, null, 0, TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<UpstreamConnectException>(async () => await selection.ConnectAsync(Timeout, default));
        Assert.Equal("connect() failed (111: Connection refused) while connecting to upstream", e.Message);
        Assert.False(e.TimedOut);
        Assert.True(selection.CanRetry);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await selection.ConnectAsync(Timeout, default));
        Assert.False(selection.CanRetry);
        Assert.Equal("127.0.0.1:1, 127.0.0.1:2", string.Join(", ", selection.UpstreamAddr.Split(", ").Order()));

        // Both failed once (max_fails=1): no live upstreams now.
        var next = peers.Start(group, null, null, 0, TimeSpan.Zero);
        Assert.Null(await next.ConnectAsync(Timeout, default));
    }

    [Fact]
    public async Task Connect_CancelledByTheClient_GivesThePeerBack()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = "127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port;
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new(address, FailTimeout: TimeSpan.FromSeconds(10)), new("127.0.0.1:1", FailTimeout: TimeSpan.FromSeconds(10))]));
        using var gone = new CancellationTokenSource();
        gone.Cancel();
        for (var i = 0; i < 4; i++)
        {
            var selection = peers.Start(group, null, null, 0, TimeSpan.Zero);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await selection.ConnectAsync(Timeout, gone.Token));
        }

        Assert.All(group.Peers, p => Assert.Equal(0, p.Connections));
        Assert.All(group.Peers, p => Assert.True(p.Fails == 0, $"{p.Name} counted a failure"));
    }

    [Fact]
    public async Task Connect_MissingUnixSocket_SaysWhichPath()
    {
        var peers = new UpstreamPeers();
        var path = Path.Combine(Path.GetTempPath(), "nginxlite-missing-" + Guid.NewGuid().ToString("N") + ".sock");
        var group = peers.Find(new RouteTableStub().Table, "unix:" + path);
        var e = await Assert.ThrowsAsync<UpstreamConnectException>(async () => await peers.Start(group, null, null, 0, TimeSpan.Zero).ConnectAsync(Timeout, default));
        Assert.Equal($"connect() to unix:{path} failed (2: No such file or directory) while connecting to upstream", e.Message);
    }

    [Fact]
    public async Task Keepalive_ReleasedConnection_IsReused_ClosedOneIsNot()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = "127.0.0.1:" + ((IPEndPoint)listener.LocalEndpoint).Port;
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new(address, FailTimeout: TimeSpan.FromSeconds(10))]) { Keepalive = 2 });

        var first = (await peers.Start(group, null, null, 0, TimeSpan.Zero).ConnectAsync(Timeout, default))!;
        using var accepted = await listener.AcceptSocketAsync();
        Assert.False(first.Reused);
        var selection = peers.Start(group, null, null, 0, TimeSpan.Zero);
        selection.Release(first, failed: false, keepAlive: true);

        var second = (await peers.Start(group, null, null, 0, TimeSpan.Zero).ConnectAsync(Timeout, default))!;
        Assert.True(second.Reused);
        Assert.Same(first.Socket, second.Socket);
        Assert.Equal(1, second.Requests);

        // The upstream closes the idle connection: the cache notices and connects anew.
        peers.Start(group, null, null, 0, TimeSpan.Zero).Release(second, failed: false, keepAlive: true);
        accepted.Close();
        await Task.Delay(100);
        var third = (await peers.Start(group, null, null, 0, TimeSpan.Zero).ConnectAsync(Timeout, default))!;
        Assert.False(third.Reused);
        third.Socket.Dispose();
    }

    [Fact]
    public void Find_UpstreamName_OrImplicitAddressGroup()
    {
        var stub = new RouteTableStub("upstream backend { server 127.0.0.1:8081 weight=3; server unix:/tmp/x.sock backup; keepalive 8; least_conn; }");
        var peers = new UpstreamPeers();
        var named = peers.Find(stub.Table, "backend");
        Assert.Equal(BalancerKind.LeastConn, named.Config.Balancer);
        Assert.Equal(8, named.Config.Keepalive);
        Assert.Equal(["127.0.0.1:8081", "unix:/tmp/x.sock"], named.Peers.Select(p => p.Name));
        Assert.Equal(3, named.Config.Servers[0].Weight);
        Assert.True(named.Config.Servers[1].Backup);
        Assert.Same(named, peers.Find(stub.Table, "backend"));

        var literal = peers.Find(stub.Table, "localhost");
        Assert.Equal("localhost:80", literal.Peers.Single().Name);
        Assert.Same(literal, peers.Find(stub.Table, "localhost:80"));
    }

    // nginx 1.22's tries (ngx_http_upstream_tries) count only servers not marked down: one refused server and one
    // down one is tried once, then no retry (no "no live upstreams" after it).
    [Fact]
    public async Task Tries_DownServerNotCounted_NoRetryAfterTheOnlyLiveOne()
    {
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new("127.0.0.1:1", FailTimeout: TimeSpan.FromSeconds(10)), new("127.0.0.1:2", FailTimeout: TimeSpan.FromSeconds(10), Down: true)]));
        Assert.Equal(1, group.Tries);
        var selection = peers.Start(group, null, null, 0, TimeSpan.Zero);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await selection.ConnectAsync(Timeout, default));
        Assert.False(selection.CanRetry);
    }

    // *_next_upstream_tries only lowers nginx's tries (ngx_http_upstream_init_request): 5 over two servers is 2.
    [Fact]
    public async Task Tries_NextUpstreamTriesAboveServerCount_CappedAtServers()
    {
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new("127.0.0.1:1", FailTimeout: TimeSpan.FromSeconds(10)), new("127.0.0.1:2", FailTimeout: TimeSpan.FromSeconds(10))]));
        var selection = peers.Start(group, null, null, 5, TimeSpan.Zero);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await selection.ConnectAsync(Timeout, default));
        Assert.True(selection.CanRetry);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await selection.ConnectAsync(Timeout, default));
        Assert.False(selection.CanRetry);

        var one = peers.Start(peers.Group(new UpstreamGroup("h", [new("127.0.0.1:3"), new("127.0.0.1:4")])), null, null, 1, TimeSpan.Zero);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await one.ConnectAsync(Timeout, default));
        Assert.False(one.CanRetry);
    }

    // A retry that finds every other peer failed (max_fails) picks none: the caller's "no live upstreams".
    [Fact]
    public async Task Connect_RetryWithOtherPeerFailed_ReturnsNoPeer()
    {
        var peers = new UpstreamPeers();
        var group = peers.Group(new UpstreamGroup("g", [new("127.0.0.1:1", FailTimeout: TimeSpan.FromSeconds(30)), new("127.0.0.1:2", FailTimeout: TimeSpan.FromSeconds(30))]));
        var first = peers.Start(group, null, null, 1, TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<UpstreamConnectException>(async () => await first.ConnectAsync(Timeout, default));
        Assert.True(e.PeerDisabled);

        var second = peers.Start(group, null, null, 0, TimeSpan.Zero);
        await Assert.ThrowsAsync<UpstreamConnectException>(async () => await second.ConnectAsync(Timeout, default));
        Assert.True(second.CanRetry);
        Assert.Null(await second.ConnectAsync(Timeout, default));
        Assert.Equal(1, second.Attempts);
    }
}
