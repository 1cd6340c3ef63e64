using System.Collections.Frozen;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Servers;

/// <summary>
/// nginx's virtual-server choice for one address (ngx_http_find_virtual_server): exact name, then the longest
/// leading wildcard (<c>*.example.com</c>, <c>.example.com</c>), then the longest trailing wildcard
/// (<c>www.example.*</c>), then regexes in order of appearance, then the default server.
/// </summary>
public sealed class ServerNameLookup
{
    private readonly FrozenDictionary<string, VirtualServer> _exact;
    private readonly (string Suffix, bool AlsoBare, VirtualServer Server)[] _head; // longest first
    private readonly (string Prefix, VirtualServer Server)[] _tail;               // longest first
    private readonly (CompiledRegex Regex, VirtualServer Server)[] _regex;

    public ServerNameLookup(IReadOnlyList<VirtualServer> servers, VirtualServer defaultServer)
    {
        Servers = servers;
        Default = defaultServer;
        var exact = new Dictionary<string, VirtualServer>(StringComparer.Ordinal);
        var head = new List<(string, bool, VirtualServer)>();
        var tail = new List<(string, VirtualServer)>();
        var regex = new List<(CompiledRegex, VirtualServer)>();
        foreach (var server in servers)
        {
            foreach (var name in server.Names)
            {
                if (name.Regex is not null)
                {
                    regex.Add((name.Regex, server));
                }
                else if (name.Text.StartsWith("*.", StringComparison.Ordinal))
                {
                    head.Add((name.Text[1..], false, server));
                }
                else if (name.Text.StartsWith('.'))
                {
                    head.Add((name.Text, true, server));
                }
                else if (name.Text.EndsWith(".*", StringComparison.Ordinal))
                {
                    tail.Add((name.Text[..^1], server));
                }
                else
                {
                    exact.TryAdd(name.Text, server);
                }
            }
        }

        _exact = exact.ToFrozenDictionary(StringComparer.Ordinal);
        _head = [.. head.OrderByDescending(h => h.Item1.Length)];
        _tail = [.. tail.OrderByDescending(t => t.Item1.Length)];
        _regex = [.. regex];
    }

    public IReadOnlyList<VirtualServer> Servers { get; }

    public VirtualServer Default { get; }

    /// <summary>The server for <paramref name="host"/> (already validated: lower case, no port, no trailing dot);
    /// regex captures go to <paramref name="state"/>.</summary>
    public VirtualServer Find(string host, IRequestState? state)
    {
        if (_exact.TryGetValue(host, out var server))
        {
            return server;
        }

        if (host.Length == 0)
        {
            return Default;
        }

        foreach (var (suffix, alsoBare, s) in _head)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal) && host.Length > suffix.Length)
            {
                return s;
            }

            if (alsoBare && host.Length == suffix.Length - 1 && suffix.AsSpan(1).SequenceEqual(host))
            {
                return s;
            }
        }

        foreach (var (prefix, s) in _tail)
        {
            if (host.StartsWith(prefix, StringComparison.Ordinal) && host.Length > prefix.Length)
            {
                return s;
            }
        }

        foreach (var (regex, s) in _regex)
        {
            if (state is null ? regex.Regex.IsMatch(host) : regex.Match(host, state))
            {
                return s;
            }
        }

        return Default;
    }
}
