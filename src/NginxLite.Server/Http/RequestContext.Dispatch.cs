using NginxLite.Routing;
using NginxLite.Routing.Locations;
using NginxLite.Routing.Rewrite;

namespace NginxLite.Server.Http;

/// <summary>nginx's phases for one request: server rewrite → find location → location rewrite → content, with
/// internal redirects (index, try_files, error_page, rewrite last) limited to 10.</summary>
internal sealed partial class RequestContext
{
    private int _uriChanges = 11;
    private bool _runServerRewrite = true;
    private bool _errorPageUsed;
    private int? _forcedStatus;
    private Location? _pendingNamed;

    /// <summary>Decides the response; never does network I/O.</summary>
    private Outcome Process()
    {
        if (ApplyRequestHead() is > 0 and var reject)
        {
            Settings = Lookup.Default.Settings;
            Server = Lookup.Default;
            Log(ErrorLevel.Info, $"{_rejectReason ?? "client sent invalid request"} while reading client request headers");
            return Final(reject);
        }

        var rawTarget = _request.RawTarget;
        var path = rawTarget;
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = path.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = path.IndexOf('/', afterScheme);
            path = slash < 0 ? "/" : path[slash..];
        }

        var q = path.IndexOf('?', StringComparison.Ordinal);
        Args = q < 0 ? "" : path[(q + 1)..];
        var rawPath = q < 0 ? path : path[..q];

        Settings = Lookup.Default.Settings;
        Server = Lookup.Default;
        if (!HostHeader.TryValidate(Utf8(_request.Headers.Host.ToString()), out var host))
        {
            Log(ErrorLevel.Info, "client sent invalid host header while reading client request headers");
            return Final(400);
        }

        Host = host;
        Server = Lookup.Find(host, this);
        Settings = Server.Settings;
        ApplyHttp2Headers();
        if (!UriNormalizer.TryNormalize(rawPath, Server.MergeSlashes, out var uri))
        {
            Log(ErrorLevel.Info, "client sent invalid request while reading client request line");
            return Final(400);
        }

        Uri = uri;
        _parsedUri = uri;
        _parsedArgs = Args;
        while (true)
        {
            var outcome = Phases();
            if (outcome.Kind != OutcomeKind.Restart)
            {
                return outcome;
            }
        }
    }

    private Outcome Phases()
    {
        if (_pendingNamed is { } named)
        {
            _pendingNamed = null;
            Location = named;
            Settings = named.Settings;
            return LocationPhases(named);
        }

        if (_runServerRewrite)
        {
            _runServerRewrite = false;
            var r = Server!.Program.Run(this);
            if (r.Action == RewriteAction.Return)
            {
                return Returned(r);
            }
        }

        // find config
        if (--_uriChanges == 0)
        {
            Log(ErrorLevel.Error, $"rewrite or internal redirection cycle while processing \"{Uri}\"");
            return Final(500);
        }

        var found = Server!.Locations.Find(Uri, this, out var location);
        Location = location;
        Settings = location?.Settings ?? Server.Settings;
        if (found == LocationMatchResult.AutoRedirect)
        {
            return Redirect(301, Uri + "/" + (Args.Length > 0 ? "?" + Args : ""));
        }

        if (location is { Internal: true } && !IsInternal)
        {
            return Error(404);
        }

        return LocationPhases(location);
    }

    private Outcome LocationPhases(Location? location)
    {
        var program = location?.Program;
        if (Settings.LimitExcept is { } limit && !limit.Allows(Method))
        {
            // ngx_http_update_location_config: the limit_except block's configuration replaces the location's, and
            // the rewrite module's directives are not inherited into it.
            Settings = limit.Settings;
            program = null;
        }

        if (long.TryParse(_request.Headers["Content-Length"].ToString(), out var length) && length > Settings.ClientMaxBodySize
            && Settings.ClientMaxBodySize > 0)
        {
            Log(ErrorLevel.Error, $"client intended to send too large body: {length} bytes");
            return Error(413);
        }

        // A chunked body has no length to check up front: nginx counts it as it reads (ngx_http_request_body_chunked_filter,
        // 413 "client intended to send too large chunked body"). Without this a chunked body was forwarded whatever its size.
        if (_features.Get<Microsoft.AspNetCore.Http.Features.IRequestBodyPipeFeature>() is { } bodyPipe && _request.Headers.ContentLength is null
            && (_request.Headers.TransferEncoding.Count > 0 || (IsHttp2 && Handlers.Body.RequestBodyLength.IsUnknown(_features))))
        {
            if (bodyPipe is BodyLimitReader limited)
            {
                limited.Limit = Settings.ClientMaxBodySize;
            }
            else if (Settings.ClientMaxBodySize > 0)
            {
                _features.Set<Microsoft.AspNetCore.Http.Features.IRequestBodyPipeFeature>(new BodyLimitReader(bodyPipe.Reader, Settings.ClientMaxBodySize));
            }
        }

        if (program is { IsEmpty: false })
        {
            var r = program.Run(this);
            if (r.Settings is not null)
            {
                Settings = r.Settings;
            }

            switch (r.Action)
            {
                case RewriteAction.Return:
                    return Returned(r);
                case RewriteAction.Last:
                    return Outcome.Restart;
            }
        }

        if (AccessPhase() is { } refused)
        {
            return refused;
        }

        return Content();
    }

    private Outcome Content()
    {
        if (Settings.Upstream is { } upstream)
        {
            if (_runtime.Handlers.For(upstream.Directive) is not null)
            {
                return Outcome.Upstream;
            }

            var issue = upstream.Directive switch
            {
                "app_pass" => 6,
                "cgi" => 7,
                _ => 4,
            };
            Log(ErrorLevel.Error, $"\"{upstream.Directive}\" is not implemented yet (issue {issue})");
            return Error(502);
        }

        if (Settings.TryFiles is { } tryFiles)
        {
            if (TryFiles(tryFiles) is { } done)
            {
                return done;
            }
        }

        return Static();
    }

    /// <summary>try_files: null when a file or directory matched (the URI is now that name and the content phase goes
    /// on), else the fallback's outcome.</summary>
    private Outcome? TryFiles(Routing.Settings.TryFilesRule rule)
    {
        foreach (var file in rule.Files)
        {
            // A name written with a trailing slash tests a directory; nginx drops that slash (at config time), so the
            // URI becomes "/docs" and the static module answers 301 "/docs/".
            var name = file.Evaluate(this);
            var dir = file.Source.Length > 1 && file.Source.EndsWith('/');
            if (dir && name.Length > 0 && name[^1] == '/')
            {
                name = name[..^1];
            }

            var path = MapPath(name);
            if (dir ? Directory.Exists(path) : File.Exists(path))
            {
                Uri = name;
                return null;
            }
        }

        if (rule.FallbackCode is { } code)
        {
            return Error(code);
        }

        var fallback = rule.Fallback.Evaluate(this);
        return fallback.StartsWith('@') ? Named(fallback) : InternalRedirect(fallback);
    }

    /// <summary>Restarts processing at the server rewrite phase with a new URI (<c>?args</c> split off).</summary>
    private Outcome InternalRedirect(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            Args = target[(q + 1)..];
            target = target[..q];
        }

        Uri = target;
        IsInternal = true;
        _runServerRewrite = true;
        Captures = null;
        return Outcome.Restart;
    }

    private Outcome Named(string name)
    {
        if (!Server!.NamedLocations.TryGetValue(name, out var named))
        {
            Log(ErrorLevel.Error, $"could not find named location \"{name}\"");
            return Final(500);
        }

        if (--_uriChanges == 0)
        {
            Log(ErrorLevel.Error, $"rewrite or internal redirection cycle while redirect to named location \"{name}\"");
            return Final(500);
        }

        IsInternal = true;
        _pendingNamed = named;
        return Outcome.Restart;
    }

    private Outcome Returned(RewriteResult r)
    {
        var status = r.Status;
        if (status == 444)
        {
            return new Outcome(OutcomeKind.Close, 444);
        }

        if (status is 301 or 302 or 303 or 307 or 308 && r.Text is not null)
        {
            return Redirect(status, r.Text);
        }

        if (r.Text is not null)
        {
            return new Outcome(OutcomeKind.Text, status, r.Text);
        }

        // ngx_http_script_return_code: a code below 400 is sent by ngx_http_send_response with an empty text (a type
        // and Content-Length: 0, so `return 304;` keeps them); a redirect code without a URL and an error go to the
        // special response (error_page, the built-in page)
        return status >= 400 || status is 301 or 302 or 303 or 307 or 308 ? Error(status) : new Outcome(OutcomeKind.Text, status, "");
    }

    private Outcome Redirect(int status, string location) => new(OutcomeKind.Redirect, status, location);

    /// <summary>An error status: <c>error_page</c> if one applies (once, unless <c>recursive_error_pages</c>), else nginx's page.</summary>
    private Outcome Error(int status)
    {
        if (Settings.ErrorPages.TryGetValue(status, out var rule) && (!_errorPageUsed || Settings.RecursiveErrorPages))
        {
            _errorPageUsed = true;
            var target = rule.Uri.Evaluate(this);
            if (target.StartsWith('@'))
            {
                _forcedStatus = rule.Overwrite is 0 ? null : rule.Overwrite ?? status;
                return Named(target);
            }

            if (target.StartsWith('/'))
            {
                _forcedStatus = rule.Overwrite is 0 ? null : rule.Overwrite ?? status;
                if (Method != "HEAD")
                {
                    Method = "GET";
                }

                return InternalRedirect(target);
            }

            var code = rule.Overwrite is 301 or 302 or 303 or 307 or 308 ? rule.Overwrite.Value : 302;
            return Redirect(code, target);
        }

        return Final(status);
    }

    private static Outcome Final(int status) => new(OutcomeKind.Status, status);

    public void Log(ErrorLevel level, string message) => _runtime.LogRequestError(this, level, message);

    public void LogUpstream(ErrorLevel level, string message, string upstream) => _runtime.LogRequestError(this, level, message, upstream);

    private string? _parsedUri;
    private string? _parsedArgs;

    /// <inheritdoc cref="NginxLite.Handlers.IUpstreamRequest.UnparsedUri"/>
    public string? UnparsedUri
    {
        get
        {
            if (IsInternal || !ReferenceEquals(Uri, _parsedUri) || Args != _parsedArgs)
            {
                return null;
            }

            var raw = _request.RawTarget;
            if (raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                var slash = raw.IndexOf('/', raw.IndexOf("//", StringComparison.Ordinal) + 2);
                raw = slash < 0 ? "/" : raw[slash..];
            }

            return raw;
        }
    }

    /// <summary>After a content handler gave a status back (502, 504, an intercepted error): nginx's error handling,
    /// then the phases again while error_page redirects internally.</summary>
    private Outcome AfterHandler(int status) => RunWhileRestart(Error(status));

    /// <summary>A content handler's internal redirect (a CGI local <c>Location:</c>): the phases again at the new URI,
    /// as a GET (RFC 3875 §6.2.2; nginx's error_page does the same to the method).</summary>
    private Outcome AfterHandlerRedirect(string target)
    {
        if (Method != "HEAD")
        {
            Method = "GET";
        }

        // X-Accel-Redirect may name a location (ngx_http_upstream_process_headers → ngx_http_named_location).
        return RunWhileRestart(target.StartsWith('@') ? Named(target) : InternalRedirect(target));
    }

    private Outcome RunWhileRestart(Outcome outcome)
    {
        while (outcome.Kind == OutcomeKind.Restart)
        {
            outcome = Phases();
        }

        return outcome;
    }
}
