using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Routing.Variables;

/// <summary>
/// A variable defined by <c>map</c>, <c>geo</c> or <c>split_clients</c>: compiled once with the route table, computed
/// on first read in a request and kept in its user slot (<see cref="Slot"/>) unless <see cref="Volatile"/>, so
/// <c>set $var</c> overrides it as in nginx.
/// </summary>
public abstract class ComputedVariable
{
    public string Name { get; internal set; } = "";

    public int Slot { get; internal set; }

    public bool Volatile { get; internal set; }

    public abstract string Compute(IRequestState state);
}

/// <summary>
/// ngx_http_map_module: exact keys (case-insensitive) in a frozen dictionary, with <c>hostnames</c> the longest
/// <c>*.example.com</c>/<c>.example.com</c> then the longest <c>example.*</c>, then regexes in order, then the default.
/// </summary>
public sealed class MapVariable : ComputedVariable
{
    private readonly ComplexValue _source;
    private readonly bool _hostnames;
    private readonly FrozenDictionary<string, ComplexValue> _exact;
    private readonly (string Suffix, ComplexValue Value)[] _head; // ".example.com", longest first
    private readonly (string Prefix, ComplexValue Value)[] _tail; // "www.example.", longest first
    private readonly (CompiledRegex Regex, bool Captures, ComplexValue Value)[] _regex;
    private readonly ComplexValue _default;

    internal MapVariable(ComplexValue source, bool hostnames, Dictionary<string, ComplexValue> exact,
        List<(string, ComplexValue)> head, List<(string, ComplexValue)> tail, List<(CompiledRegex, ComplexValue)> regex,
        ComplexValue? defaultValue)
    {
        _source = source;
        _hostnames = hostnames;
        _exact = exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _head = [.. head.OrderByDescending(h => h.Item1.Length)];
        _tail = [.. tail.OrderByDescending(t => t.Item1.Length)];
        _regex = [.. regex.Select(r => (r.Item1, r.Item1.Regex.GetGroupNumbers().Length > 1, r.Item2))];
        _default = defaultValue ?? ComplexValue.Literal("");
    }

    public override string Compute(IRequestState state)
    {
        var key = _source.Evaluate(state);
        if (_hostnames && key.Length > 0 && key[^1] == '.')
        {
            key = key[..^1];
        }

        return (Find(key, state) ?? _default).Evaluate(state);
    }

    private ComplexValue? Find(string key, IRequestState state)
    {
        if (_exact.TryGetValue(key, out var value))
        {
            return value;
        }

        if (_head.Length > 0 || _tail.Length > 0)
        {
            foreach (var (suffix, v) in _head)
            {
                if (key.Length > suffix.Length && key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return v;
                }
            }

            foreach (var (prefix, v) in _tail)
            {
                if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return v;
                }
            }
        }

        if (key.Length == 0)
        {
            return null;
        }

        foreach (var (regex, captures, v) in _regex)
        {
            if (captures ? regex.Match(key, state) : regex.Regex.IsMatch(key))
            {
                return v;
            }
        }

        return null;
    }
}

/// <summary>
/// ngx_http_geo_module: the longest matching CIDR (IPv4 and IPv6, one dictionary per prefix length, longest first),
/// or with <c>ranges</c> the last range holding the address; an address that does not parse is 255.255.255.255.
/// </summary>
public sealed class GeoVariable : ComputedVariable
{
    private static readonly VariableRef RemoteAddr = new(VariableKind.RemoteAddr, "remote_addr", 0);

    private readonly VariableRef? _source;
    private readonly (int Bits, FrozenDictionary<uint, string> Nets)[] _v4;
    private readonly (int Bits, FrozenDictionary<UInt128, string> Nets)[] _v6;
    private readonly (uint From, uint To, string Value)[] _ranges; // searched last to first
    private readonly string _default;

    internal GeoVariable(VariableRef? source, Dictionary<(int, uint), string> v4, Dictionary<(int, UInt128), string> v6,
        List<(uint, uint, string)> ranges, string defaultValue)
    {
        _source = source;
        _v4 = [.. v4.GroupBy(e => e.Key.Item1).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToDictionary(e => e.Key.Item2, e => e.Value).ToFrozenDictionary()))];
        _v6 = [.. v6.GroupBy(e => e.Key.Item1).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToDictionary(e => e.Key.Item2, e => e.Value).ToFrozenDictionary()))];
        _ranges = [.. ranges];
        _default = defaultValue;
    }

    public override string Compute(IRequestState state)
    {
        var text = _source is null
            ? state.GetVariable(RemoteAddr)
            : ComplexValue.Get(state, _source);
        var ip = ParseAddress(text ?? "");
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return Lookup(ip);
    }

    /// <summary>ngx_parse_addr: ngx_inet_addr (four decimal octets, nothing else) or an IPv6 address; anything
    /// else is INADDR_NONE (255.255.255.255).</summary>
    public static IPAddress ParseAddress(string text)
    {
        uint addr = 0, octet = 0;
        var dots = 0;
        var ok = text.Length > 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                octet = (octet * 10) + (uint)(c - '0');
                if (octet > 255)
                {
                    ok = false;
                    break;
                }

                continue;
            }

            if (c == '.')
            {
                addr = (addr << 8) | octet;
                octet = 0;
                dots++;
                continue;
            }

            ok = false;
            break;
        }

        if (ok && dots == 3)
        {
            addr = (addr << 8) | octet;
            return new IPAddress([(byte)(addr >> 24), (byte)(addr >> 16), (byte)(addr >> 8), (byte)addr]);
        }

        if (text.Contains(':') && !text.Contains('%') && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return v6;
        }

        return IPAddress.Broadcast;
    }

    public string Lookup(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var a = V4(ip);
            if (_ranges.Length > 0)
            {
                for (var i = _ranges.Length - 1; i >= 0; i--)
                {
                    if (a >= _ranges[i].From && a <= _ranges[i].To)
                    {
                        return _ranges[i].Value;
                    }
                }

                return _default;
            }

            foreach (var (bits, nets) in _v4)
            {
                if (nets.TryGetValue(Mask4(a, bits), out var value))
                {
                    return value;
                }
            }

            return _default;
        }

        var b = V6(ip);
        foreach (var (bits, nets) in _v6)
        {
            if (nets.TryGetValue(Mask6(b, bits), out var value))
            {
                return value;
            }
        }

        return _default;
    }

    internal static uint V4(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    internal static UInt128 V6(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    internal static uint Mask4(uint a, int bits) => bits == 0 ? 0 : a & (uint.MaxValue << (32 - bits));

    internal static UInt128 Mask6(UInt128 a, int bits) => bits == 0 ? 0 : a & (UInt128.MaxValue << (128 - bits));
}

/// <summary>ngx_http_split_clients_module: MurmurHash2 of the evaluated string against cumulative percentages.</summary>
public sealed class SplitClientsVariable : ComputedVariable
{
    private readonly ComplexValue _source;
    private readonly (uint Limit, string Value)[] _parts; // Limit 0: "*"

    internal SplitClientsVariable(ComplexValue source, List<(int Hundredths, string Value)> parts)
    {
        _source = source;
        var list = new List<(uint, string)>();
        uint last = 0;
        foreach (var (percent, value) in parts)
        {
            if (percent == 0)
            {
                list.Add((0, value));
                continue;
            }

            last += (uint)((ulong)percent * 0xffffffffUL / 10000);
            list.Add((last, value));
        }

        _parts = [.. list];
    }

    public override string Compute(IRequestState state)
    {
        var hash = MurmurHash2(Encoding.UTF8.GetBytes(_source.Evaluate(state)));
        foreach (var (limit, value) in _parts)
        {
            if (hash < limit || limit == 0)
            {
                return value;
            }
        }

        return "";
    }

    /// <summary>ngx_murmur_hash2.</summary>
    public static uint MurmurHash2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        var h = (uint)data.Length;
        while (data.Length >= 4)
        {
            var k = (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            k *= m;
            k ^= k >> 24;
            k *= m;
            h *= m;
            h ^= k;
            data = data[4..];
        }

        switch (data.Length)
        {
            case 3:
                h ^= (uint)data[2] << 16;
                h ^= (uint)data[1] << 8;
                h ^= data[0];
                h *= m;
                break;
            case 2:
                h ^= (uint)data[1] << 8;
                h ^= data[0];
                h *= m;
                break;
            case 1:
                h ^= data[0];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
    }
}
