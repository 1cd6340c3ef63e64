using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>[warn] conflicting server name "a.test" on 127.0.0.1:8081, ignored</c>: ngx_http_server_names, when http { } is
/// closed, for every address shared by several servers. Names are lower-cased; a server without <c>server_name</c>
/// has the name ""; <c>.x</c> is both <c>x</c> and <c>*.x</c>; regex names never conflict. nginx gives no position.
/// </summary>
public sealed class ServerNameConflictCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var byAddress = new Dictionary<string, List<BoundDirective>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var (address, server, _) in ListenTable.Entries(http))
            {
                if (!byAddress.TryGetValue(address, out var servers))
                {
                    byAddress[address] = servers = [];
                    order.Add(address);
                }

                if (!servers.Contains(server))
                {
                    servers.Add(server);
                }
            }

            foreach (var address in order.Where(a => byAddress[a].Count > 1))
            {
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var name in byAddress[address].SelectMany(Names))
                {
                    var nameKeys = Keys(name);
                    if (nameKeys.Any(keys.Contains))
                    {
                        scope.Diagnostics.Warn($"conflicting server name \"{name}\" on {address}, ignored", null, http.EndOrdinal);
                        continue;
                    }

                    keys.UnionWith(nameKeys);
                }
            }
        }
    }

    private static IEnumerable<string> Names(BoundDirective server)
    {
        var names = server.ChildrenNamed("server_name").SelectMany(d => d.Arguments).Select(a => a.Value).ToList();
        return names.Count == 0 ? [""] : names.Where(n => !n.StartsWith('~')).Select(n => n.ToLowerInvariant());
    }

    // The hash keys ngx_hash_add_key makes: exact, "*.x" head wildcard, "x.*" tail wildcard.
    private static string[] Keys(string name) => name switch
    {
        ['.', .. var rest] => ["=" + rest, "*" + rest],
        ['*', '.', .. var rest] => ["*" + rest],
        [.. var head, '.', '*'] => [head + ".*"],
        _ => ["=" + name],
    };
}
