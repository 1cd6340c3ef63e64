using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>server ADDR</c> inside <c>upstream { }</c>: ngx_http_upstream_server parses and resolves it while reading the
/// directive: first its parameters (<c>invalid parameter "weight=0"</c>), then the address
/// (<c>host not found in upstream "backend.invalid:8000"</c>, <c>invalid port in upstream "…"</c>).
/// </summary>
public sealed class UpstreamServerCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            // ngx_http_upstream, when the block closes: at the line of its "}".
            foreach (var upstream in ConfigTree.Upstreams(http).Where(u => !u.ChildrenNamed("server").Any()))
            {
                var at = upstream.Syntax.EndLine > 0 ? upstream.Position with { Line = upstream.Syntax.EndLine } : upstream.Position;
                scope.Emerg("no servers are inside upstream", at, upstream.EndOrdinal);
            }

            foreach (var server in ConfigTree.Upstreams(http).SelectMany(u => u.ChildrenNamed("server")))
            {
                if (server.Arguments.Count == 0)
                {
                    continue;
                }

                if (ParameterError(server) is { } parameterError)
                {
                    scope.Emerg(server, parameterError);
                    continue;
                }

                var written = server.Arg(0);
                var url = UpstreamUrl.Parse(written);
                if (url.Error is { } error)
                {
                    scope.Emerg(server, $"{error} in upstream \"{written}\"");
                }
                else if (!url.Unix && HostResolver.Resolve(url.Host.TrimStart('[').TrimEnd(']')).Length == 0)
                {
                    scope.Emerg(server, $"host not found in upstream \"{written}\"");
                }
            }
        }
    }

    /// <summary>
    /// The parameters, read before the address: <c>weight=</c> (positive), <c>max_conns=</c>, <c>max_fails=</c>,
    /// <c>fail_timeout=</c> (seconds), <c>backup</c>, <c>down</c>. <c>ip_hash</c>, <c>hash</c> and <c>random</c> earlier in the
    /// block take away <c>backup</c>.
    /// </summary>
    private static string? ParameterError(BoundDirective server)
    {
        var noBackup = server.Parent!.Children.TakeWhile(c => c != server).Any(c => c.Name is "ip_hash" or "hash" or "random");
        foreach (var p in server.Arguments.Skip(1).Select(a => a.Value))
        {
            if (p == "backup" && noBackup)
            {
                return $"balancing method does not support parameter \"{p}\"";
            }

            var valid = p switch
            {
                _ when p.StartsWith("weight=", StringComparison.Ordinal) => NginxValue.TryParseDigits(p.AsSpan(7), out var weight) && weight > 0,
                _ when p.StartsWith("max_conns=", StringComparison.Ordinal) => NginxValue.TryParseDigits(p.AsSpan(10), out _),
                _ when p.StartsWith("max_fails=", StringComparison.Ordinal) => NginxValue.TryParseDigits(p.AsSpan(10), out _),
                _ when p.StartsWith("fail_timeout=", StringComparison.Ordinal) => NginxValue.ParseTime(p[13..], isSec: true, out _) != NginxValue.TimeResult.Invalid,
                "backup" or "down" => true,
                _ => false,
            };
            if (!valid)
            {
                return $"invalid parameter \"{p}\"";
            }
        }

        return null;
    }
}
