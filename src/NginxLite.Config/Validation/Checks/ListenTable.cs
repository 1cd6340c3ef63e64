using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Which servers listen on which address, in the order nginx adds them (a server without <c>listen</c> is added when its block closes).</summary>
internal static class ListenTable
{
    public static IReadOnlyList<(string Address, BoundDirective Server, ListenSpec? Listen)> Entries(BoundDirective http) =>
        ConfigTree.Shared(http, nameof(ListenTable), static h => Build(h).ToList());

    private static IEnumerable<(string Address, BoundDirective Server, ListenSpec? Listen)> Build(BoundDirective http)
    {
        var entries = new List<(int Ordinal, string Address, BoundDirective Server, ListenSpec? Listen)>();
        foreach (var server in ConfigTree.Servers(http))
        {
            var listens = server.ChildrenNamed("listen").ToList();
            if (listens.Count == 0)
            {
                entries.Add((server.EndOrdinal, ListenSpec.Implicit, server, null));
                continue;
            }

            foreach (var listen in listens.Select(ListenSpec.Of).Where(l => l.Error is null))
            {
                entries.AddRange(listen.Addresses.Select(a => (listen.Directive.Ordinal, a, server, (ListenSpec?)listen)));
            }
        }

        return entries.OrderBy(e => e.Ordinal).Select(e => (e.Address, e.Server, e.Listen));
    }
}
