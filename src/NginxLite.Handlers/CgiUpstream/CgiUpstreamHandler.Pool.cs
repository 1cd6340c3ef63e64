using System.Diagnostics;
using NginxLite.Handlers.Upstream;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>app_pass: the exchange on the worker connection an app pool leases (docs/apps.md).</summary>
internal abstract partial class CgiUpstreamHandler
{
    /// <summary>app_pass: one attempt on the worker the pool chose (no next_upstream: the pool already skipped workers
    /// that refused the connect). A worker killed by harakiri answers 504, as uWSGI's harakiri does behind nginx.</summary>
    private async ValueTask<HandlerResult> PoolExchangeAsync(
        IUpstreamRequest request, Apps.IAppPool pool, CgiUpstreamSettings settings, RequestBody body, List<KeyValuePair<string, string>> parameters,
        UpstreamStates states)
    {
        var started = Stopwatch.GetTimestamp();
        Apps.AppLease? lease;
        try
        {
            lease = await pool.ConnectAsync(settings.ConnectTimeout, request.Aborted);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            return HandlerResult.Error(499);
        }

        if (lease is null)
        {
            request.LogUpstream(ErrorLevel.Error, "no live upstreams while connecting to upstream", Scheme + pool.Name);
            states.Record(pool.Name, 502, started, connected: 0, headerAt: 0, length: 0);
            return HandlerResult.Error(502);
        }

        var address = lease.Address;
        // $upstream_addr is the worker's socket ("unix:/…/worker-N.sock"), as nginx in front of that worker would print it.
        var outcome = await ExchangeAsync(request, new Release(null, null, lease), lease.Socket, tls: null, lease.Reused,
            Scheme + address + (address.StartsWith("unix:", StringComparison.Ordinal) ? ":" : ""), body, parameters,
            new Attempt(states, address, started, NextUpstream: null));
        if (outcome.Stale)
        {
            // A kept connection that failed before any response byte: the worker went meanwhile (killed, recycled).
            // Once more on a fresh connection, as nginx retries a cached upstream connection.
            lease.End(Apps.AppLeaseFailure.None, status: 0, responseBytes: 0);
            if (lease.KilledByHarakiri)
            {
                return HandlerResult.Error(504);
            }

            return await PoolExchangeAsync(request, pool, settings, body, parameters, states);
        }

        return outcome.Result ?? HandlerResult.Error(lease.KilledByHarakiri ? 504 : outcome.Status);
    }

    /// <summary>Gives a connection back once: to the peer API (selection and peer) or to an app pool (lease).
    /// <paramref name="workerLost"/>: the connection was lost (reset, premature close) or timed out, before or after the
    /// response began; that, not <paramref name="failed"/> (nginx's max_fails, which also counts an invalid header and
    /// not a failure once the header was sent), is what an app pool's lease is told: the worker may be dying
    /// (AppPool.HoldBack), while one that sent an invalid response is fine and its slot comes back at once.</summary>
    private readonly record struct Release(PeerSelection? Selection, Upstream.UpstreamConnection? Peer, Apps.AppLease? Lease)
    {
        public void Done(bool failed, bool keepAlive, int status, long bytes, Apps.AppLeaseFailure workerLost = Apps.AppLeaseFailure.None)
        {
            if (Lease is not null)
            {
                Lease.End(workerLost, status, bytes, reusable: keepAlive);
            }
            else
            {
                Selection!.Release(Peer!, failed, keepAlive);
            }
        }
    }
}
