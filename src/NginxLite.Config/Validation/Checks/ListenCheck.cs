using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>listen</c>, while reading it (ngx_http_core_listen, ngx_http_add_addresses): address errors
/// (<c>host not found in "80x" of the "listen" directive</c>, <c>invalid port in …</c>), <c>invalid parameter "spdy"</c>,
/// then per address <c>a duplicate listen …</c>, <c>duplicate listen options for …</c>, <c>a duplicate default server for …</c>.
/// </summary>
public sealed class ListenCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            foreach (var listen in ConfigTree.Servers(http).SelectMany(s => s.ChildrenNamed("listen")).Select(ListenSpec.Of))
            {
                if (listen.Error is { } error)
                {
                    scope.Emerg(listen.Directive, error);
                }
            }

            var seen = new Dictionary<string, (List<BoundDirective> Servers, bool Options, bool Default)>(StringComparer.Ordinal);
            foreach (var (address, server, listen) in ListenTable.Entries(http))
            {
                if (!seen.TryGetValue(address, out var state))
                {
                    seen[address] = ([server], listen?.SetsOptions == true, listen?.DefaultServer == true);
                    continue;
                }

                if (listen is null)
                {
                    state.Servers.Add(server);
                    continue;
                }

                if (state.Servers.Contains(server))
                {
                    scope.Emerg(listen.Directive, $"a duplicate listen {address}");
                    continue;
                }

                state.Servers.Add(server);
                if (listen.SetsOptions && state.Options)
                {
                    scope.Emerg(listen.Directive, $"duplicate listen options for {address}");
                    continue;
                }

                if (listen.DefaultServer && state.Default)
                {
                    scope.Emerg(listen.Directive, $"a duplicate default server for {address}");
                    continue;
                }

                seen[address] = (state.Servers, state.Options || listen.SetsOptions, state.Default || listen.DefaultServer);
            }
        }
    }
}
