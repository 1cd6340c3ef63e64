using System.Security.Cryptography;
using System.Text;
using NginxLite.Handlers;

namespace NginxLite.Server.Http;

/// <summary>
/// <c>status_page on;</c>: an operator dashboard. The location's URL answers one self-contained HTML page (embedded
/// resource, no external URL); the same URL with <c>?format=json</c> answers <c>nginxlite_status json</c>'s
/// document, which the page polls every second to draw its charts (docs/operations.md). The page's inline script and
/// style are allowed by their SHA-256 in a strict Content-Security-Policy (CSP Level 2 hash sources): nothing else
/// may run, load or frame it.
/// </summary>
internal sealed class StatusPageHandler : IContentHandler
{
    private static readonly byte[] Page = Load();
    private static readonly IReadOnlyList<KeyValuePair<string, string>> PageHeaders =
    [
        new("Content-Security-Policy",
            $"default-src 'none'; script-src '{Hash("script")}'; style-src '{Hash("style")}'; connect-src 'self'; "
            + "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "no-referrer"),
    ];

    private readonly TrafficStatusHandler _json;

    public StatusPageHandler(TrafficStatusHandler json) => _json = json;

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) =>
        WantsJson(request.Args)
            ? _json.HandleAsync(request)
            : StatusResponse.SendAsync(request, "text/html; charset=utf-8", static () => Page, cacheControl: "no-cache", PageHeaders);

    /// <summary>True when the query has <c>format=json</c> among its <c>&amp;</c>-separated parameters.</summary>
    internal static bool WantsJson(string args)
    {
        foreach (var part in args.Split('&'))
        {
            if (part == "format=json")
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Load()
    {
        using var stream = typeof(StatusPageHandler).Assembly.GetManifestResourceStream("status-page.html")
                           ?? throw new InvalidOperationException("status-page.html is not embedded");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>'sha256-…' of the text inside the page's one &lt;<paramref name="element"/>&gt; (CSP hash source: the
    /// exact bytes between the tags).</summary>
    private static string Hash(string element)
    {
        var text = Encoding.UTF8.GetString(Page);
        var open = text.IndexOf('>', text.IndexOf("<" + element, StringComparison.Ordinal)) + 1;
        var close = text.IndexOf("</" + element + ">", open, StringComparison.Ordinal);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text[open..close]));
        return "sha256-" + Convert.ToBase64String(digest);
    }
}
