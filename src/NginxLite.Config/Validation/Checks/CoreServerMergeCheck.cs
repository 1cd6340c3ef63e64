using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_core_merge_srv_conf, the first merge when http { } is closed (the core module comes first): a server whose
/// <c>large_client_header_buffers</c> size (default 8k) is below its <c>connection_pool_size</c> (default 512 on 64-bit)
/// fails, reported at the line of the http block's closing brace.
/// </summary>
public sealed class CoreServerMergeCheck : IConfigCheck
{
    private const long DefaultPoolSize = 512;
    private const long DefaultHeaderBufferSize = 8192;

    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var pool = PoolSize(http) ?? DefaultPoolSize;
            var buffer = HeaderBufferSize(http) ?? DefaultHeaderBufferSize;
            if (ConfigTree.Servers(http).Any(s => (HeaderBufferSize(s) ?? buffer) < (PoolSize(s) ?? pool)))
            {
                var at = http.Syntax.EndLine > 0 ? http.Position with { Line = http.Syntax.EndLine } : http.Position;
                scope.Emerg("the \"large_client_header_buffers\" size must be equal to or greater than \"connection_pool_size\"", at, http.EndOrdinal);
            }
        }
    }

    private static long? PoolSize(BoundDirective block) =>
        block.ChildrenNamed("connection_pool_size").FirstOrDefault() is { Arguments.Count: 1 } d
        && NginxValue.TryParseSize(d.Arg(0), out var size, allowGiga: false) ? size : null;

    private static long? HeaderBufferSize(BoundDirective block) =>
        block.ChildrenNamed("large_client_header_buffers").FirstOrDefault() is { Arguments.Count: 2 } d
        && NginxValue.TryParseSize(d.Arg(1), out var size, allowGiga: false) ? size : null;
}
