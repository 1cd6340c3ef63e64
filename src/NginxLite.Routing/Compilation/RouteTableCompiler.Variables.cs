using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NginxLite.Config.Binding;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>Declares every <c>map</c>, <c>geo</c> and <c>split_clients</c> variable of the http blocks (so any
    /// value may use any of them), then compiles their bodies.</summary>
    private void CompileComputedVariables(BoundDirective root)
    {
        var blocks = new List<(BoundDirective Block, DeferredVariable Variable)>();
        foreach (var http in root.Children.Where(c => c.Name == "http"))
        {
            foreach (var d in http.Children)
            {
                var name = d.Name switch
                {
                    "map" or "split_clients" when d.Arguments.Count == 2 => d.Arg(1),
                    "geo" when d.Arguments.Count is 1 or 2 => d.Arg(d.Arguments.Count - 1),
                    _ => null,
                };
                if (name is null || !name.StartsWith('$'))
                {
                    continue;
                }

                var variable = new DeferredVariable { Volatile = d.Name is "map" or "geo" && d.Children.Any(c => c.Name == "volatile" && c.Arguments.Count == 0) };
                _variables.Declare(name[1..], variable);
                blocks.Add((d, variable));
            }
        }

        foreach (var (block, variable) in blocks)
        {
            variable.Target = block.Name switch
            {
                "map" => CompileMap(block),
                "geo" => CompileGeo(block),
                _ => CompileSplitClients(block),
            };
        }
    }

    private MapVariable CompileMap(BoundDirective block)
    {
        var hostnames = block.Children.Any(c => c.Name == "hostnames" && c.Arguments.Count == 0);
        var exact = new Dictionary<string, ComplexValue>(StringComparer.OrdinalIgnoreCase);
        var head = new List<(string, ComplexValue)>();
        var tail = new List<(string, ComplexValue)>();
        var regex = new List<(CompiledRegex, ComplexValue)>();
        ComplexValue? defaultValue = null;
        foreach (var entry in block.Children)
        {
            var key = entry.Name;
            if (entry.Arguments.Count == 0 && key is "hostnames" or "volatile")
            {
                continue;
            }

            if (entry.Arguments.Count != 1)
            {
                continue;
            }

            var value = ComplexValue.Parse(entry.Arg(0), _variables);
            if (key == "default")
            {
                defaultValue = value;
                continue;
            }

            if (key.StartsWith('~'))
            {
                var ignoreCase = key.StartsWith("~*", StringComparison.Ordinal);
                regex.Add((new CompiledRegex(key[(ignoreCase ? 2 : 1)..], ignoreCase, _variables), value));
                continue;
            }

            if (key.StartsWith('\\'))
            {
                key = key[1..];
            }

            if (hostnames && key.StartsWith("*.", StringComparison.Ordinal))
            {
                head.Add((key[1..], value));
            }
            else if (hostnames && key.Length > 1 && key.StartsWith('.'))
            {
                head.Add((key, value));
                exact.TryAdd(key[1..], value);
            }
            else if (hostnames && key.EndsWith(".*", StringComparison.Ordinal))
            {
                tail.Add((key[..^1], value));
            }
            else
            {
                exact.TryAdd(key, value);
            }
        }

        return new MapVariable(ComplexValue.Parse(block.Arg(0), _variables), hostnames, exact, head, tail, regex, defaultValue);
    }

    /// <summary>A geo block (ngx_http_geo): <c>default</c> (0.0.0.0/0 and ::/0), CIDRs, <c>delete</c>, <c>proxy</c>,
    /// <c>proxy_recursive</c>, <c>volatile</c>, <c>ranges</c> (then <c>a.b.c.d-e.f.g.h</c> entries); <c>include</c>
    /// was expanded in place by the syntax layer.</summary>
    private GeoVariable CompileGeo(BoundDirective block)
    {
        VariableRef? source = block.Arguments.Count == 2 ? _variables.Resolve(block.Arg(0).TrimStart('$')) : null;
        var ranges = block.Children.Any(c => c.Name == "ranges" && c.Arguments.Count == 0) ? new GeoRanges() : null;
        var v4 = new Dictionary<(int, uint), string>();
        var v6 = new Dictionary<(int, UInt128), string>();
        var proxies = new List<GeoNet>();
        var proxyRecursive = false;
        foreach (var entry in block.Children)
        {
            var key = entry.Name;
            if (entry.Arguments.Count == 0)
            {
                proxyRecursive |= key == "proxy_recursive";
                continue;
            }

            if (entry.Arguments.Count != 1)
            {
                continue;
            }

            var value = entry.Arg(0);
            if (key == "proxy")
            {
                if (TryParseCidr(value, out var proxy))
                {
                    proxies.Add(new GeoNet(proxy.V6, proxy.Bits, proxy.Address4, proxy.Address6));
                }

                continue;
            }

            if (ranges is not null)
            {
                if (key == "default")
                {
                    ranges.Default = value;
                }
                else if (key == "delete" ? TryParseRange(value, out var del) : false)
                {
                    ranges.Delete(del.From, del.To);
                }
                else if (key != "delete" && TryParseRange(key, out var range))
                {
                    ranges.Add(range.From, range.To, value);
                }

                continue;
            }

            if (key == "default")
            {
                v4[(0, 0)] = value;
                v6[(0, 0)] = value;
                continue;
            }

            var delete = key == "delete";
            if (!TryParseCidr(delete ? value : key, out var net))
            {
                continue;
            }

            if (delete && net.V6)
            {
                v6.Remove((net.Bits, net.Address6));
            }
            else if (delete)
            {
                v4.Remove((net.Bits, net.Address4));
            }
            else if (net.V6)
            {
                v6[(net.Bits, net.Address6)] = value;
            }
            else
            {
                v4[(net.Bits, net.Address4)] = value;
            }
        }

        ranges?.Freeze();
        return new GeoVariable(source, v4, v6, ranges, proxies, proxyRecursive);
    }

    /// <summary>A geo range <c>a.b.c.d-e.f.g.h</c> (ngx_inet_addr on each side, start ≤ end).</summary>
    private static bool TryParseRange(string text, out (uint From, uint To) range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !GeoVariable.TryParseAddress(text.AsSpan(0, dash), out var from) || !GeoVariable.TryParseAddress(text.AsSpan(dash + 1), out var to)
            || from.AddressFamily != AddressFamily.InterNetwork || to.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        range = (GeoVariable.V4(from), GeoVariable.V4(to));
        return range.From <= range.To;
    }

    private static bool TryParseCidr(string text, out (bool V6, int Bits, uint Address4, UInt128 Address6) net)
    {
        net = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var ip))
        {
            return false;
        }

        var v6 = ip.AddressFamily == AddressFamily.InterNetworkV6;
        var max = v6 ? 128 : 32;
        var bits = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > max))
        {
            return false;
        }

        net = v6
            ? (true, bits, 0, GeoVariable.Mask6(GeoVariable.V6(ip), bits))
            : (false, bits, GeoVariable.Mask4(GeoVariable.V4(ip), bits), 0);
        return true;
    }

    private SplitClientsVariable CompileSplitClients(BoundDirective block)
    {
        var parts = new List<(int, string)>();
        foreach (var entry in block.Children)
        {
            var value = entry.Arguments.Count > 0 ? entry.Arg(0) : "";
            if (entry.Name == "*")
            {
                parts.Add((0, value));
            }
            else if (entry.Name.EndsWith('%') && ParseHundredths(entry.Name[..^1]) is > 0 and var hundredths)
            {
                parts.Add((hundredths, value));
            }
        }

        return new SplitClientsVariable(ComplexValue.Parse(block.Arg(0), _variables), parts);
    }

    /// <summary>ngx_atofp(text, 2): "20.5" → 2050.</summary>
    private static int ParseHundredths(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var frac = dot < 0 ? "" : text[(dot + 1)..];
        if (frac.Length > 2 || !int.TryParse(whole.Length == 0 ? "0" : whole, NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || (frac.Length > 0 && !int.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return -1;
        }

        return (w * 100) + (frac.Length == 0 ? 0 : int.Parse(frac.PadRight(2, '0'), CultureInfo.InvariantCulture));
    }

    /// <summary>A computed variable declared before its body is compiled (bodies may use each other).</summary>
    private sealed class DeferredVariable : ComputedVariable
    {
        internal ComputedVariable? Target { get; set; }

        public override string Compute(IRequestState state) => Target?.Compute(state) ?? "";
    }
}
