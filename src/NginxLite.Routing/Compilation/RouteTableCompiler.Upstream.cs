using System.Globalization;
using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>The variables the upstream handlers set per request: user slots reserved by name, so a log_format or
    /// proxy_set_header that reads them and the handler that writes them meet in the same slot.</summary>
    public static readonly string[] UpstreamVariables =
    [
        "proxy_host", "proxy_port", "proxy_add_x_forwarded_for", "upstream_addr", "upstream_status",
        "upstream_response_time", "upstream_connect_time", "upstream_header_time", "upstream_response_length",
    ];

    /// <summary>Every <c>upstream NAME { … }</c> of the http block(s), by name.</summary>
    private Dictionary<string, UpstreamGroup> CompileUpstreams(BoundDirective root)
    {
        foreach (var name in UpstreamVariables)
        {
            _variables.Slot(name);
        }

        var groups = new Dictionary<string, UpstreamGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var http in root.Children.Where(c => c.Name == "http"))
        {
            foreach (var block in http.Children.Where(c => c.Name == "upstream"))
            {
                groups[block.Arg(0)] = CompileUpstream(block);
            }
        }

        return groups;
    }

    private UpstreamGroup CompileUpstream(BoundDirective block)
    {
        var servers = new List<UpstreamServer>();
        var balancer = BalancerKind.RoundRobin;
        ComplexValue? hashKey = null;
        var consistent = false;
        var keepalive = 0;
        var keepaliveTimeout = TimeSpan.FromSeconds(60);
        var keepaliveRequests = 1000;
        foreach (var d in block.Children)
        {
            switch (d.Name)
            {
                case "server":
                    servers.Add(ParseUpstreamServer(d));
                    break;
                case "least_conn":
                    balancer = BalancerKind.LeastConn;
                    break;
                case "ip_hash":
                    balancer = BalancerKind.IpHash;
                    break;
                case "hash":
                    balancer = BalancerKind.Hash;
                    hashKey = ComplexValue.Parse(d.Arg(0), _variables);
                    consistent = d.Arguments.Count > 1 && d.Arg(1) == "consistent";
                    break;
                case "keepalive":
                    keepalive = int.TryParse(d.Arg(0), out var k) ? k : 0;
                    break;
                case "keepalive_timeout":
                    keepaliveTimeout = NginxValue.TryParseTime(d.Arg(0), out var t) ? t : keepaliveTimeout;
                    break;
                case "keepalive_requests":
                    keepaliveRequests = int.TryParse(d.Arg(0), out var r) ? r : keepaliveRequests;
                    break;
            }
        }

        return new UpstreamGroup(block.Arg(0), [.. servers])
        {
            Balancer = balancer,
            HashKey = hashKey,
            HashConsistent = consistent,
            Keepalive = keepalive,
            KeepaliveTimeout = keepaliveTimeout,
            KeepaliveRequests = keepaliveRequests,
        };
    }

    private static UpstreamServer ParseUpstreamServer(BoundDirective d)
    {
        var address = d.Arg(0);
        if (!address.StartsWith("unix:", StringComparison.Ordinal) && address.LastIndexOf(':') <= address.LastIndexOf(']'))
        {
            address += ":80";
        }

        var server = new UpstreamServer(address, FailTimeout: UpstreamServer.DefaultFailTimeout);
        foreach (var arg in d.Arguments.Skip(1).Select(a => a.Value))
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? arg : arg[..eq];
            var value = eq < 0 ? "" : arg[(eq + 1)..];
            server = key switch
            {
                "weight" => server with { Weight = Math.Max(1, Int(value)) },
                "max_fails" => server with { MaxFails = Int(value) },
                "fail_timeout" => server with { FailTimeout = NginxValue.TryParseTime(value, out var ft) ? ft : server.FailTimeout },
                "max_conns" => server with { MaxConns = Int(value) },
                "backup" => server with { Backup = true },
                "down" => server with { Down = true },
                _ => server,
            };
        }

        return server;
    }

    private static int Int(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
