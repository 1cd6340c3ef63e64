using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Upstream;
using NginxLite.Protocols.Http1;
using NginxLite.Routing;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Upstreams;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// <c>proxy_pass</c> (ngx_http_proxy_module): an HTTP/1.0 or 1.1 client on System.IO.Pipelines over the peer API.
/// Per attempt: connect (or reuse a keepalive connection), send the head and body, read the response head; on an
/// error, a timeout or a status listed in proxy_next_upstream, try the next peer while tries are left; then stream
/// the body to the client as it arrives. Failures before the response starts go back as 502/504 for error_page.
/// </summary>
/// <remarks>YARP's forwarder was not used: it needs an HttpContext (the engine runs Kestrel without one) and an
/// HttpMessageInvoker that picks its own connections, so nginx's per-request peer choice, unix: peers, keepalive
/// caches per upstream group, next_upstream retries, header rules and error-log wording would all be fought, not
/// reused.</remarks>
public sealed partial class ProxyHandler(UpstreamPeers peers) : IContentHandler
{
    public async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var settings = request.Settings.Proxy;
        var pass = settings.Pass;
        if (pass is null)
        {
            return HandlerResult.Error(500);
        }

        var target = pass.Target;
        if (target is null)
        {
            var url = pass.Value.Evaluate(request);
            if (!ProxyTarget.TryParse(url, out target, out var error))
            {
                request.Log(ErrorLevel.Error, $"{error} in upstream \"{url}\"");
                return HandlerResult.Error(500);
            }
        }

        var connection = request.Features.Get<IHttpConnectionFeature>();
        var client = connection?.RemoteIpAddress;
        var remoteAddr = client is null ? "unix:" : (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString();
        var vars = new UpstreamVariables(request);
        vars.Set("proxy_host", target.ProxyHost);
        vars.Set("proxy_port", target.Address.StartsWith("unix:", StringComparison.Ordinal) ? "" : target.Port.ToString(CultureInfo.InvariantCulture));
        vars.Set("proxy_add_x_forwarded_for", ProxyRequest.AddXForwardedFor(request, remoteAddr));

        var uri = ProxyRequest.Uri(request, pass, target);
        var method = settings.Method?.Evaluate(request) is { Length: > 0 } m ? m : request.Method;
        var group = peers.Find(request.Table, target.Address, target.Port);
        var selection = peers.Start(group, client, request, settings.NextUpstreamTries, settings.NextUpstreamTimeout);
        selection.Disabled = (peer, phase) => request.LogUpstream(ErrorLevel.Warn, UpstreamErrorPhase.TemporarilyDisabled + " " + phase,
            target.Scheme + "://" + (peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? peer.Name + ":" : peer.Name) + uri);

        RequestBody body;
        try
        {
            body = !settings.PassRequestBody
                ? RequestBody.None
                : settings.SetBody is { } setBody
                    ? RequestBody.FromBytes(Encoding.Latin1.GetBytes(setBody.Evaluate(request)))
                    : await RequestBody.FromClientAsync(request, settings.RequestBuffering, settings.HttpVersion, request.Aborted);
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.Http.BadHttpRequestException or IOException { InnerException: OverflowException })
        {
            // A malformed body is the client's error, not a closed connection: ngx_http_read_client_request_body
            // answers 400 ("client sent invalid chunked body") and closes. Kestrel reports a chunk size past its
            // int range as an IOException ("Bad chunk size data") around an OverflowException.
            if (e is Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 })
            {
                request.Log(ErrorLevel.Error, "client intended to send too large chunked body");
                return HandlerResult.Error(413);
            }

            request.Log(ErrorLevel.Info, "client sent invalid chunked body");
            return HandlerResult.Error(400);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            request.Log(ErrorLevel.Info, "client prematurely closed connection while reading client request body");
            return HandlerResult.Error(499);
        }

        await using (body)
        {
            var headers = ProxyRequest.Headers(request, settings, target.ProxyHost, body.Length, body.Chunked, out var keepAliveAsked, out var upgradeAsked);
            var head = BuildHead(method, uri, settings.HttpVersion, headers);
            var exchange = new Exchange(request, settings, target, uri, selection, vars, head, body, keepAliveAsked, upgradeAsked);
            return await exchange.RunAsync();
        }
    }

    private static byte[] BuildHead(string method, string uri, int version, List<KeyValuePair<string, string>> headers)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        HttpRequestWriter.WriteRequestLine(buffer, method, uri, version);
        foreach (var (name, value) in headers)
        {
            HttpRequestWriter.WriteHeader(buffer, name, value);
        }

        HttpRequestWriter.WriteEndOfHead(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Which proxy_next_upstream condition a failure or status is, and whether it counts as a peer failure.</summary>
    internal static (NextUpstream Condition, bool CountsAsFailure) Classify(int status) => status switch
    {
        500 => (NextUpstream.Http500, true),
        502 => (NextUpstream.Http502, true),
        503 => (NextUpstream.Http503, true),
        504 => (NextUpstream.Http504, true),
        429 => (NextUpstream.Http429, true),
        403 => (NextUpstream.Http403, false),
        404 => (NextUpstream.Http404, false),
        _ => (NextUpstream.None, false),
    };

    internal static bool IsHidden(string name, ProxySettings settings) => settings.Hidden.Contains(name);

    /// <summary>proxy_redirect applied to a Location or Refresh value; null when no rule matched.</summary>
    internal static string? Redirect(string value, IUpstreamRequest request, ProxyPass pass)
    {
        var rules = request.Settings.Proxy.Redirects;
        if (rules is null)
        {
            return pass.Target is null ? null : DefaultRedirect(value, pass);
        }

        foreach (var rule in rules)
        {
            if (rule.IsDefault)
            {
                if (pass.Target is not null && DefaultRedirect(value, pass) is { } replaced)
                {
                    return replaced;
                }
            }
            else if (rule.Regex is { } regex)
            {
                if (regex.Match(value, request))
                {
                    return rule.Replacement.Evaluate(request);
                }
            }
            else if (rule.Prefix is { } prefix && prefix.Evaluate(request) is { Length: > 0 } p && value.StartsWith(p, StringComparison.Ordinal))
            {
                return rule.Replacement.Evaluate(request) + value[p.Length..];
            }
        }

        return null;
    }

    // "proxy_redirect default": the proxy_pass URL (with "/" added when it has no URI part) → the location's name ("/").
    private static string? DefaultRedirect(string value, ProxyPass pass)
    {
        var (from, to) = pass.Target!.Uri is null ? (pass.Url + "/", "/") : (pass.Url, pass.LocationPrefix);
        return to.Length > 0 && value.StartsWith(from, StringComparison.Ordinal) ? to + value[from.Length..] : null;
    }
}

/// <summary>The upstream_* and proxy_* variables (user slots reserved by the compiler) of one request.</summary>
internal readonly struct UpstreamVariables(IUpstreamRequest request)
{
    public void Set(string name, string value)
    {
        if (request.Table.Variables.TryGetSlot(name, out var slot) && slot < request.UserVariables.Length)
        {
            request.UserVariables[slot] = value;
        }
    }

    /// <summary>The $upstream_* variables nginx prints from r->upstream_states.</summary>
    public static readonly string[] States =
        ["upstream_addr", "upstream_status", "upstream_response_time", "upstream_connect_time", "upstream_header_time", "upstream_response_length"];

    /// <summary>Between the upstream phases of one request (an internal redirect: X-Accel-Redirect, error_page …) nginx
    /// keeps r->upstream_states and pushes an empty state, which its variables print as <c>" : "</c>
    /// (ngx_http_upstream_init_request, ngx_http_upstream_addr_variable): the values go on after that separator.</summary>
    public void BeginPhase()
    {
        foreach (var name in States)
        {
            if (request.Table.Variables.TryGetSlot(name, out var slot) && slot < request.UserVariables.Length
                && request.UserVariables[slot] is { Length: > 0 } old && !old.EndsWith(PhaseSeparator, StringComparison.Ordinal))
            {
                request.UserVariables[slot] = old + PhaseSeparator;
            }
        }
    }

    private const string PhaseSeparator = " : ";

    /// <summary>Adds one attempt's value: after ", " within a phase, after " : " at the start of a later one.</summary>
    public void Append(string name, string value)
    {
        if (request.Table.Variables.TryGetSlot(name, out var slot) && slot < request.UserVariables.Length)
        {
            var old = request.UserVariables[slot];
            request.UserVariables[slot] = string.IsNullOrEmpty(old) ? value
                : old.EndsWith(PhaseSeparator, StringComparison.Ordinal) ? old + value
                : old + ", " + value;
        }
    }

    /// <summary>Replaces the last attempt's value (an attempt recorded when its head came, completed at its end).</summary>
    public void ReplaceLast(string name, string value)
    {
        if (request.Table.Variables.TryGetSlot(name, out var slot) && slot < request.UserVariables.Length)
        {
            var old = request.UserVariables[slot] ?? "";
            var comma = old.LastIndexOf(", ", StringComparison.Ordinal);
            var phase = old.LastIndexOf(PhaseSeparator, StringComparison.Ordinal);
            var cut = Math.Max(comma < 0 ? 0 : comma + 2, phase < 0 ? 0 : phase + PhaseSeparator.Length);
            request.UserVariables[slot] = old[..cut] + value;
        }
    }
}
