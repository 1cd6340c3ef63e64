using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A zone used by <c>limit_req zone=X</c> or <c>limit_conn X</c> but never given a size by <c>limit_req_zone</c> /
/// <c>limit_conn_zone</c>: nginx creates shared memory after reading everything and says
/// <c>zero size shared memory zone "X"</c> with no position.
/// </summary>
public sealed class SharedMemoryZoneCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var all = ConfigTree.All(http);
            var sized = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in all.Where(d => d.Name is "limit_req_zone" or "limit_conn_zone"))
            {
                foreach (var a in d.Arguments.Select(a => a.Value).Where(v => v.StartsWith("zone=", StringComparison.Ordinal)))
                {
                    var colon = a.IndexOf(':', StringComparison.Ordinal);
                    sized.Add(colon < 0 ? a[5..] : a[5..colon]);
                }
            }

            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in all)
            {
                var zone = d.Name switch
                {
                    "limit_req" => d.Arguments.Select(a => a.Value).FirstOrDefault(v => v.StartsWith("zone=", StringComparison.Ordinal))?[5..],
                    "limit_conn" when d.Arguments.Count > 0 => d.Arg(0),
                    _ => null,
                };
                if (zone is not null && !sized.Contains(zone) && reported.Add(zone))
                {
                    scope.Diagnostics.Add(Diagnostic.Emerg($"zero size shared memory zone \"{zone}\"", null, ConfigTree.AfterConfiguration + 1) with { AfterParse = true });
                }
            }
        }
    }
}
