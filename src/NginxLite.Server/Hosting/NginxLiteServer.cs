using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NginxLite.Apps;
using NginxLite.Handlers.Apps;
using NginxLite.Handlers.Posix;
using NginxLite.Handlers.Privileged;
using NginxLite.Routing;
using NginxLite.Routing.Servers;
using NginxLite.Server.Tls;

namespace NginxLite.Server.Hosting;

/// <summary>
/// The HTTP engine: one lean <see cref="KestrelServer"/> per listening socket, all dispatching through the route table
/// held in one volatile field. <see cref="ReloadAsync"/> swaps the table and opens/closes only the sockets that changed.
/// </summary>
public sealed class NginxLiteServer : IAsyncDisposable
{
    private readonly Dictionary<ListenAddress, KestrelServer> _sockets = [];
    // How each open socket was set up (`ssl`, `http2`): a reload that changes either reopens it.
    private readonly Dictionary<ListenAddress, (bool Ssl, bool Http2)> _socketModes = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RouteTable _table;
    private PrivilegedHelper? _helper;

    public NginxLiteServer(RouteTable table)
    {
        _table = table;
        Runtime = new ServerRuntime(table);
        Apps = new AppSupervisor((level, message) => Runtime.ErrorLog.Write(level, message), table.Main.User, table.Main.Group);
        Runtime.Handlers.Register("app_pass", new AppPassHandler(Apps));
        var status = new Http.TrafficStatusHandler(Runtime.Stats, Runtime.Traffic, Apps);
        Runtime.Handlers.Register("nginxlite_status", status);
        Runtime.Handlers.Register("status_page", new Http.StatusPageHandler(status));
    }

    /// <summary>The <c>app</c> pools (issue 6): started after the listeners are bound and before privileges drop
    /// (workers of another user need root to be spawned), reconciled on reload, stopped after the listeners.</summary>
    public AppSupervisor Apps { get; }

    public RouteTable Table => _table;

    public ServerRuntime Runtime { get; }

    /// <summary>Completes once the server may answer requests: every socket bound and set up, privileges dropped.</summary>
    internal Task Serving => _serving.Task;

    /// <summary>Binds every listener of the table; throws (and closes what it opened) when one cannot be bound.
    /// Requests wait until <see cref="CompleteStartup"/> (called here unless <paramref name="completeStartupLater"/>:
    /// the host writes the pid file as root first).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default, bool completeStartupLater = false)
    {
        try
        {
            // Certificates first: one that cannot be loaded fails the start before any socket is bound.
            TlsCertificates.For(_table);
            foreach (var listener in _table.Listeners)
            {
                await OpenAsync(listener.Address, _table, cancellationToken);
            }

            // Before the pools: workers of another account than `user` are the helper's children from the start, so
            // the dropped server can still signal them (through it) and have them respawned.
            _helper ??= PrivilegedHelperLaunch.StartIfNeeded(_table, Runtime.ErrorLog);
            if (_table.Apps.Count > 0)
            {
                await Apps.StartAsync(_table.Apps);
            }
        }
        catch
        {
            await StopAsync(graceful: false);
            throw;
        }

        if (!completeStartupLater)
        {
            CompleteStartup();
        }
    }

    /// <summary>
    /// <c>user</c>: bound and logs open as root, the process drops its privileges, then requests are let through. If
    /// the drop fails this throws and requests stay held: nothing is ever answered as root by mistake.
    /// </summary>
    public void CompleteStartup()
    {
        if (_table.Main.User is not null)
        {
            Runtime.OpenAccessLogs(_table);
        }

        PrivilegeDrop.Apply(_table.Main, Runtime.ErrorLog);
        _serving.TrySetResult();
    }

    /// <summary>Swaps in <paramref name="table"/>: new sockets first (a failure keeps the old table), then closes the gone ones.</summary>
    public async Task ReloadAsync(RouteTable table, CancellationToken cancellationToken = default)
    {
        var wanted = table.Listeners.Select(l => l.Address).ToHashSet();
        var opened = new List<ListenAddress>();

        // The new certificates are loaded before anything changes: a bad one fails the reload, the old table stays.
        TlsCertificates.For(table);

        // A socket whose `ssl` or `http2` flag changed is reopened (TLS and the protocols are set up when Kestrel binds it).
        foreach (var listener in table.Listeners)
        {
            (bool Ssl, bool Http2) mode;
            lock (_lock)
            {
                mode = _socketModes.GetValueOrDefault(listener.Address);
            }

            if (_sockets.ContainsKey(listener.Address) && mode != (listener.Ssl, listener.Http2))
            {
                await CloseAsync(listener.Address, graceful: false);
            }
        }

        try
        {
            foreach (var address in wanted)
            {
                if (!_sockets.ContainsKey(address))
                {
                    await OpenAsync(address, table, cancellationToken);
                    opened.Add(address);
                }
            }
        }
        catch
        {
            foreach (var address in opened)
            {
                await CloseAsync(address, graceful: false);
            }

            throw;
        }

        // New and changed pools are ready before the table that routes to them is swapped in.
        await Apps.ReloadAsync(table.Apps);
        Runtime.Use(table);
        _table = table;
        if (Handlers.Cgi.CgiHandler.RetireForkServers() is > 0 and var retired)
        {
            Runtime.ErrorLog.Write(ErrorLevel.Notice, $"cgi: retired {retired} python fork server(s) after reload; the next preloaded request starts a fresh one");
        }

        foreach (var address in _sockets.Keys.Where(a => !wanted.Contains(a)).ToList())
        {
            await CloseAsync(address, graceful: true);
        }
    }

    /// <summary>Graceful: finish in-flight requests (up to <paramref name="timeout"/>); fast: drop connections now.</summary>
    /// <remarks><paramref name="abort"/> turns a graceful stop under way into a fast one (TERM after QUIT).</remarks>
    public async Task StopAsync(bool graceful, TimeSpan? timeout = null, CancellationToken abort = default)
    {
        List<ListenAddress> addresses;
        lock (_lock)
        {
            addresses = [.. _sockets.Keys];
        }

        var tasks = addresses.Select(a => CloseAsync(a, graceful, timeout, abort));
        await Task.WhenAll(tasks);

        // The listeners are closed and their requests done (or cut): now the workers (graceful: SIGTERM once idle).
        await Apps.StopAsync(graceful && !abort.IsCancellationRequested);

        // Its EOF ends the helper (it also ends when this process dies: the kernel closes the socket).
        _helper?.Dispose();
        _helper = null;
    }

    public IReadOnlyCollection<ListenAddress> OpenSockets
    {
        get
        {
            lock (_lock)
            {
                return [.. _sockets.Keys];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false);
        Runtime.Dispose();
    }

    private async Task OpenAsync(ListenAddress address, RouteTable table, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions
        {
            AddServerHeader = false,
            AllowSynchronousIO = false,
        };
        options.Limits.KeepAliveTimeout = table.Main.KeepaliveTimeout > TimeSpan.Zero ? table.Main.KeepaliveTimeout : TimeSpan.FromSeconds(1);
        options.Limits.RequestHeadersTimeout = table.Main.ClientHeaderTimeout;
        options.Limits.MaxRequestBodySize = null;
        options.AllowHostHeaderOverride = true;

        // nginx's limits and rules are applied by RequestHeadFilter before Kestrel parses a request; Kestrel's own
        // limits are set above them so it never answers a request nginx would take.
        options.Limits.MaxRequestLineSize = 64 * 1024;
        options.Limits.MaxRequestHeadersTotalSize = 256 * 1024;
        options.Limits.MaxRequestHeaderCount = 16 * 1024;
        options.RequestHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;

        // `listen … http2`: nginx's default http2_max_concurrent_streams (128) in the SETTINGS it sends; Kestrel's is 100.
        options.Limits.Http2.MaxStreamsPerConnection = 128;
        var keepalive = options.Limits.KeepAliveTimeout;
        var headerTimeout = table.Main.ClientHeaderTimeout;
        var filter = new RequestHeadFilter(c => HeadOptions(address, (c.LocalEndPoint as IPEndPoint)?.Address), () => keepalive, () => headerTimeout);
        var stats = Runtime.Stats;
        var listener = table.FindListener(address);
        var http2 = listener?.Http2 ?? false;
        var tls = (listener?.Ssl ?? false) ? TlsOptions(address, http2) : null;
        if (tls is not null)
        {
            // Kestrel's UseHttps takes its logger (and meters) from the application services a host would set.
            options.ApplicationServices = TlsServices.Instance;
        }

        // Outermost first: every accepted connection is counted (stub_status "accepts", TLS ones before their
        // handshake, as nginx counts them), then TLS when the socket has `ssl`, then nginx's head rules on plaintext
        // HTTP/1 (an HTTP/2 connection skips them: Http2Connections).
        void Pipeline(ListenOptions l)
        {
            l.Use(Counted);
            if (tls is not null)
            {
                // nginx 1.22 speaks HTTP/2 only with `listen … http2`: then ALPN picks the protocol per connection.
                l.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                l.Use(PlainRequestOnTlsPort.Middleware(() => headerTimeout));
                l.UseHttps(tls);
                if (http2)
                {
                    l.Use(next => c => Http2Connections.NegotiatedH2(c) ? Http2Connections.OnConnectionAsync(c, next) : filter.OnConnectionAsync(c, next));
                    return;
                }
            }
            else if (http2)
            {
                // `listen … http2` without ssl: HTTP/2 with prior knowledge only, as nginx 1.22 (no HTTP/1 on the port).
                l.Protocols = HttpProtocols.Http2;
                l.Use(Http2PrefaceCheck.Middleware(() => headerTimeout, c => Runtime.ErrorLog.Write(ErrorLevel.Info,
                    $"invalid connection preface while processing HTTP/2 connection, client: {(c.RemoteEndPoint as IPEndPoint)?.Address}, server: {address}")));
                l.Use(next => c => Http2Connections.OnConnectionAsync(c, next));
                return;
            }

            l.Use(next => c => filter.OnConnectionAsync(c, next));
        }

        ConnectionDelegate Counted(ConnectionDelegate next) => async c =>
        {
            stats.ConnectionOpened();
            try
            {
                await next(c);
            }
            finally
            {
                stats.ConnectionClosed();
            }
        };

        // After `user` dropped privileges, a reload's new port below 1024 (or a socket file in a directory the user
        // cannot write) is bound by the root helper, which checks the address against the configuration file it reads
        // itself; Kestrel listens on the fd it passes (nginx: the root master binds, the workers inherit).
        var viaHelper = PrivilegedListen.NeedsHelper(address, _helper);
        if (viaHelper)
        {
            var fd = await _helper!.BindAsync(address.ToString());
            options.ListenHandle((ulong)fd, Pipeline);
        }
        else if (address.IsUnix)
        {
            UnixSocketFile.PrepareBind(address.UnixPath!);
            options.ListenUnixSocket(address.UnixPath!, Pipeline);
        }
        else
        {
            options.Listen(address.IP!, Pipeline);
            if (address.IP!.Address.Equals(IPAddress.IPv6Any))
            {
                // nginx's [::]:port is ipv6only=on by default.
            }
        }

        // Kestrel's own thread hops are off: the socket's completion runs Kestrel's parser, our dispatcher and the
        // response write on the same thread (nginx's event loop model). Measured on 2 cores with the socket engine's
        // inline completions (RuntimeTuning in NginxLite.Cli): hello at c=1 went from ~11 to 1 context switch per
        // request (docs/BENCHMARKS.md). The price is Kestrel's rule for this option: the request path never blocks a
        // thread (no sync-over-async, no blocking I/O but file syscalls and log writes, which nginx does inline too).
        var transportOptions = new SocketTransportOptions { UnsafePreferInlineScheduling = true };
        var transport = new SocketTransportFactory(Options.Create(transportOptions), NullLoggerFactory.Instance);
        var loggers = KestrelDiagnosticLog.FromEnvironment() ?? NullLoggerFactory.Instance;
        var kestrel = new KestrelServer(Options.Create(options), transport, loggers);
        await kestrel.StartAsync(new ListenerApplication(this, address), cancellationToken);
        if (address.IsUnix && !viaHelper)
        {
            UnixSocketFile.ApplyPermissions(address.UnixPath!, table.Main.SocketMode, table.Main.SocketOwner);
        }

        lock (_lock)
        {
            _sockets[address] = kestrel;
            _socketModes[address] = (tls is not null, http2);
        }
    }

    /// <summary>TLS on an <c>ssl</c> socket: per handshake, the settings of the server SNI selects in the table current
    /// then (loaded once per table by <see cref="TlsCertificates"/>), so a reload serves its new certificates.</summary>
    private TlsHandshakeCallbackOptions TlsOptions(ListenAddress address, bool http2) => new()
    {
        OnConnection = context =>
        {
            var table = _table;
            var lookup = (table.FindListener(address) ?? table.Listeners[0])
                .For((context.Connection.LocalEndPoint as IPEndPoint)?.Address);
            var options = TlsCertificates.For(table).Select(lookup, context.ClientHelloInfo.ServerName, http2)
                ?? throw new System.Security.Authentication.AuthenticationException(
                    $"no \"ssl_certificate\" is defined for {address}");
            return ValueTask.FromResult(options);
        },
    };

    /// <summary>The request-head rules of the socket's default server in the current table and, when the socket's
    /// servers differ in them, of the server each Host selects (built once per lookup).</summary>
    private Http.RequestHead HeadOptions(ListenAddress address, IPAddress? local)
    {
        var table = _table;
        var lookup = (table.FindListener(address) ?? table.Listeners[0]).For(local);
        var rules = s_headRules.GetValue(lookup, BuildHeadRules);

        // a parser per connection (it holds the last parse's results); the rules of other servers are only read
        return new Http.RequestHead
        {
            UnderscoresInHeaders = rules.UnderscoresInHeaders,
            IgnoreInvalidHeaders = rules.IgnoreInvalidHeaders,
            LineLimit = rules.LineLimit,
            HeadLimit = rules.HeadLimit,
            MaxHeadLimit = rules.MaxHeadLimit,
            ForHost = rules.ForHost,
        };
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ServerNameLookup, Http.RequestHead> s_headRules = new();

    private static Http.RequestHead BuildHeadRules(ServerNameLookup lookup)
    {
        static Http.RequestHead Rules(VirtualServer server) => new()
        {
            UnderscoresInHeaders = server.UnderscoresInHeaders,
            IgnoreInvalidHeaders = server.IgnoreInvalidHeaders,
            LineLimit = server.HeaderLineLimit,
            HeadLimit = server.HeaderTotalLimit,
        };

        var def = Rules(lookup.Default);
        var others = lookup.Servers.Where(v => v != lookup.Default).ToDictionary(v => v, Rules);
        if (others.Values.All(r => r.LineLimit == def.LineLimit && r.HeadLimit == def.HeadLimit
            && r.UnderscoresInHeaders == def.UnderscoresInHeaders && r.IgnoreInvalidHeaders == def.IgnoreInvalidHeaders))
        {
            return def;
        }

        return new Http.RequestHead
        {
            UnderscoresInHeaders = def.UnderscoresInHeaders,
            IgnoreInvalidHeaders = def.IgnoreInvalidHeaders,
            LineLimit = def.LineLimit,
            HeadLimit = def.HeadLimit,
            MaxHeadLimit = others.Values.Max(r => r.HeadLimit),
            ForHost = host => lookup.Find(host, null) is var v && v != lookup.Default && others.TryGetValue(v, out var r) ? r : null,
        };
    }

    private async Task CloseAsync(ListenAddress address, bool graceful, TimeSpan? timeout = null, CancellationToken abort = default)
    {
        KestrelServer? kestrel;
        lock (_lock)
        {
            if (!_sockets.Remove(address, out kestrel))
            {
                return;
            }

            _socketModes.Remove(address);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(abort);
        if (graceful)
        {
            cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        }
        else
        {
            cts.Cancel();
        }

        try
        {
            await kestrel.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        kestrel.Dispose();
        try
        {
            if (address.IsUnix && File.Exists(address.UnixPath))
            {
                File.Delete(address.UnixPath!);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // After `user` dropped privileges the socket's directory may not be writable any more.
        }
    }
}
