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
/// or with <c>ranges</c> nginx's per-/16 range lists; an address that does not parse is 255.255.255.255. With
/// <c>proxy</c>, an address from a trusted proxy is replaced by the last address of X-Forwarded-For
/// (<c>proxy_recursive</c>: the last untrusted one), as ngx_http_get_forwarded_addr does.
/// </summary>
public sealed class GeoVariable : ComputedVariable
{
    private static readonly VariableRef RemoteAddr = new(VariableKind.RemoteAddr, "remote_addr", 0);
    private static readonly VariableRef ForwardedFor = new(VariableKind.Http, "x-forwarded-for", 0);

    private readonly VariableRef? _source;
    private readonly (int Bits, FrozenDictionary<uint, string> Nets)[] _v4;
    private readonly (int Bits, FrozenDictionary<UInt128, string> Nets)[] _v6;
    private readonly GeoRanges? _ranges;
    private readonly GeoNet[] _proxies;
    private readonly bool _proxyRecursive;

    internal GeoVariable(VariableRef? source, Dictionary<(int, uint), string> v4, Dictionary<(int, UInt128), string> v6,
        GeoRanges? ranges, List<GeoNet> proxies, bool proxyRecursive)
    {
        _source = source;
        _v4 = [.. v4.GroupBy(e => e.Key.Item1).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToDictionary(e => e.Key.Item2, e => e.Value).ToFrozenDictionary()))];
        _v6 = [.. v6.GroupBy(e => e.Key.Item1).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToDictionary(e => e.Key.Item2, e => e.Value).ToFrozenDictionary()))];
        _ranges = ranges;
        _proxies = [.. proxies];
        _proxyRecursive = proxyRecursive;
    }

    public override string Compute(IRequestState state)
    {
        var text = _source is null
            ? state.GetVariable(RemoteAddr)
            : ComplexValue.Get(state, _source);
        if (!TryParseAddress(text ?? "", out var ip))
        {
            return Lookup(IPAddress.Broadcast);
        }

        if (_proxies.Length > 0 && state.GetVariable(ForwardedFor) is { } xff)
        {
            ip = ForwardedAddress(ip, xff, _proxies, _proxyRecursive);
        }

        return Lookup(ip);
    }

    /// <summary>ngx_http_get_forwarded_addr: while the address is a trusted proxy, take the last address of the
    /// X-Forwarded-For list (all headers, in order); once (or, recursive, until) one is not trusted or does not parse,
    /// stop there.</summary>
    public static IPAddress ForwardedAddress(IPAddress address, string xff, GeoNet[] proxies, bool recursive)
    {
        var rest = xff.AsSpan();
        while (Trusted(address, proxies))
        {
            // nginx's scans stop before the first byte: a leading separator stays part of the first address
            while (rest.Length > 1 && rest[^1] is ' ' or ',')
            {
                rest = rest[..^1];
            }

            if (rest.IsEmpty)
            {
                break;
            }

            var separator = rest[1..].LastIndexOfAny(' ', ',');
            var start = separator < 0 ? 0 : separator + 2;
            if (!TryParseAddressPort(rest[start..], out var next))
            {
                break;
            }

            address = next;
            rest = rest[..start];
            if (!recursive || start == 0)
            {
                break;
            }
        }

        return address;
    }

    private static bool Trusted(IPAddress address, GeoNet[] proxies)
    {
        foreach (var net in proxies)
        {
            if (net.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ngx_parse_addr: ngx_inet_addr (four decimal octets, nothing else; 255.255.255.255 is its error value)
    /// or an IPv6 address.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        uint addr = 0, octet = 0;
        var dots = 0;
        var digits = false;
        var ok = text.Length > 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                octet = (octet * 10) + (uint)(c - '0');
                digits = true;
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

        if (ok && digits && dots == 3)
        {
            addr = (addr << 8) | octet;
            if (addr == uint.MaxValue)
            {
                return false;
            }

            address = new IPAddress([(byte)(addr >> 24), (byte)(addr >> 16), (byte)(addr >> 8), (byte)addr]);
            return true;
        }

        if (text.Contains(':') && !text.ContainsAny('%', '[') && IPAddress.TryParse(text, out var v6)
            && v6.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = v6;
            return true;
        }

        return false;
    }

    /// <summary>ngx_parse_addr_port: an address, <c>a.b.c.d:port</c> or <c>[v6]:port</c> (port 1–65535).</summary>
    public static bool TryParseAddressPort(ReadOnlySpan<char> text, out IPAddress address)
    {
        if (TryParseAddress(text, out address))
        {
            return true;
        }

        int colon;
        var host = text;
        if (text.Length > 0 && text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0 || close == text.Length - 1 || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            colon = close + 1;
        }
        else
        {
            colon = text.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            host = text[..colon];
        }

        var port = text[(colon + 1)..];
        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            || p is < 1 or > 65535)
        {
            return false;
        }

        return TryParseAddress(host, out address);
    }

    /// <summary><see cref="TryParseAddress"/>, 255.255.255.255 when it fails.</summary>
    public static IPAddress ParseAddress(string text) => TryParseAddress(text, out var ip) ? ip : IPAddress.Broadcast;

    public string Lookup(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (_ranges is not null)
        {
            // ranges are IPv4 only: any other address is looked up as INADDR_NONE
            return _ranges.Find(ip.AddressFamily == AddressFamily.InterNetwork ? V4(ip) : uint.MaxValue);
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var a = V4(ip);
            foreach (var (bits, nets) in _v4)
            {
                if (nets.TryGetValue(Mask4(a, bits), out var value))
                {
                    return value;
                }
            }

            return "";
        }

        var b = V6(ip);
        foreach (var (bits, nets) in _v6)
        {
            if (nets.TryGetValue(Mask6(b, bits), out var value))
            {
                return value;
            }
        }

        return "";
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

/// <summary>A network of a geo block (<c>proxy</c> addresses): IPv4 or IPv6 address with a prefix length.</summary>
public readonly record struct GeoNet(bool V6, int Bits, uint Address4, UInt128 Address6)
{
    public bool Contains(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return V6
            ? ip.AddressFamily == AddressFamily.InterNetworkV6 && GeoVariable.Mask6(GeoVariable.V6(ip), Bits) == Address6
            : ip.AddressFamily == AddressFamily.InterNetwork && GeoVariable.Mask4(GeoVariable.V4(ip), Bits) == Address4;
    }
}

/// <summary>
/// geo <c>ranges</c> as ngx_http_geo_module keeps them: per high 16 bits of the address, a sorted list of
/// non-overlapping low-16-bit ranges. A range added inside an existing one splits it (so the later value wins there),
/// an equal one replaces its value, and <c>delete</c> removes only a piece exactly equal to it.
/// </summary>
public sealed class GeoRanges
{
    private readonly Dictionary<int, List<(int Start, int End, string Value)>> _build = [];
    private FrozenDictionary<int, (int Start, int End, string Value)[]>? _high;

    public string Default { get; set; } = "";

    /// <summary>Adds start–end (inclusive, host order); false when it partly overlaps a range (nginx's [emerg]).</summary>
    public bool Add(uint start, uint end, string value)
    {
        var ok = true;
        foreach (var (h, s, e) in Pieces(start, end))
        {
            ok &= AddPiece(Piece(h), s, e, value);
        }

        return ok;
    }

    /// <summary>Removes the pieces of start–end that equal a stored range; false when one was not there.</summary>
    public bool Delete(uint start, uint end)
    {
        var all = true;
        foreach (var (h, s, e) in Pieces(start, end))
        {
            var list = Piece(h);
            var i = list.FindIndex(r => r.Start == s && r.End == e);
            if (i < 0)
            {
                all = false;
                continue;
            }

            list.RemoveAt(i);
        }

        return all;
    }

    public void Freeze() => _high = _build.Where(e => e.Value.Count > 0).ToFrozenDictionary(e => e.Key, e => e.Value.ToArray());

    public string Find(uint address)
    {
        if (_high!.TryGetValue((int)(address >> 16), out var list))
        {
            var n = (int)(address & 0xffff);
            foreach (var r in list)
            {
                if (n >= r.Start && n <= r.End)
                {
                    return r.Value;
                }
            }
        }

        return Default;
    }

    private List<(int Start, int End, string Value)> Piece(int high)
    {
        if (!_build.TryGetValue(high, out var list))
        {
            list = [];
            _build[high] = list;
        }

        return list;
    }

    private static IEnumerable<(int High, int Start, int End)> Pieces(uint start, uint end)
    {
        for (var n = (ulong)start; n <= end; n = (n + 0x10000) & 0xffff0000)
        {
            var h = (int)(n >> 16);
            var s = n == start ? (int)(n & 0xffff) : 0;
            var e = (n | 0xffff) > end ? (int)(end & 0xffff) : 0xffff;
            yield return (h, s, e);
        }
    }

    private static bool AddPiece(List<(int Start, int End, string Value)> a, int s, int e, string value)
    {
        for (var i = a.Count - 1; i >= 0; i--)
        {
            var r = a[i];
            if (e < r.Start)
            {
                continue;
            }

            if (s > r.End)
            {
                a.Insert(i + 1, (s, e, value));
                return true;
            }

            if (s == r.Start && e == r.End)
            {
                a[i] = (s, e, value);
                return true;
            }

            if (s > r.Start && e < r.End)
            {
                a[i] = (r.Start, s - 1, r.Value);
                a.Insert(i + 1, (s, e, value));
                a.Insert(i + 2, (e + 1, r.End, r.Value));
                return true;
            }

            if (s == r.Start && e < r.End)
            {
                a[i] = (e + 1, r.End, r.Value);
                a.Insert(i, (s, e, value));
                return true;
            }

            if (s > r.Start && e == r.End)
            {
                a[i] = (r.Start, s - 1, r.Value);
                a.Insert(i + 1, (s, e, value));
                return true;
            }

            return false;
        }

        a.Insert(0, (s, e, value));
        return true;
    }
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
