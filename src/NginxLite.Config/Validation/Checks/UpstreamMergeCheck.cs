using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// The rules of ngx_http_{proxy,fastcgi,uwsgi,scgi}_merge_loc_conf, when http { } is closed: module by module
/// (nginx's module order), server by server, then each server's locations in file order (nested ones after their
/// parent). Each level inherits what it does not set; defaults are 8 buffers of one page and a one-page buffer_size
/// (4k on x86-64 Linux). After the buffers, a <c>X_cache</c> zone no <c>X_cache_path … keys_zone=</c> of the http block
/// declares is <c>"proxy_cache" zone "x" is unknown</c>. nginx reports them at the line of the http block's closing brace.
/// </summary>
public sealed class UpstreamMergeCheck : IConfigCheck
{
    private const long PageSize = 4096;

    private static readonly string[] Modules = ["proxy", "fastcgi", "uwsgi", "scgi"];

    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var error = Modules
                .Select(m => ConfigTree.Servers(http).Select(s => CheckBlock(s, m, Read(http, m, Level.Unset), CacheZones(http, m))).FirstOrDefault(e => e is not null))
                .FirstOrDefault(e => e is not null);
            if (error is not null)
            {
                var at = http.Syntax.EndLine > 0 ? http.Position with { Line = http.Syntax.EndLine } : http.Position;
                scope.Emerg(error, at, http.EndOrdinal);
            }
        }
    }

    /// <summary>Merges <paramref name="block"/> with its parent's values, checks it, then its nested locations.</summary>
    private static string? CheckBlock(BoundDirective block, string module, Level parent, HashSet<string> zones)
    {
        var level = Read(block, module, parent);
        if (Check(level, module) is { } error)
        {
            return error;
        }

        if (level.CacheZone is { } zone && zone != "off" && !NginxValue.HasVariable(zone) && !zones.Contains(zone))
        {
            return $"\"{module}_cache\" zone \"{zone}\" is unknown";
        }

        foreach (var location in block.ChildrenNamed("location").Where(l => l.Syntax.HasBlock))
        {
            if (CheckBlock(location, module, level, zones) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static string? Check(Level level, string m)
    {
        var bufferSize = level.BufferSize ?? PageSize;
        var (num, size) = level.Buffers ?? (8, PageSize);
        if (num < 2)
        {
            return $"there must be at least 2 \"{m}_buffers\"";
        }

        var max = Math.Max(bufferSize, size);
        var maxOf = $"the maximum of the value of \"{m}_buffer_size\" and one of the \"{m}_buffers\"";
        var busy = level.BusyBuffersSize ?? 2 * max;
        if (busy < max)
        {
            return $"\"{m}_busy_buffers_size\" must be equal to or greater than {maxOf}";
        }

        if (busy > (num - 1) * size)
        {
            return $"\"{m}_busy_buffers_size\" must be less than the size of all \"{m}_buffers\" minus one buffer";
        }

        if ((level.TempFileWriteSize ?? 2 * max) < max)
        {
            return $"\"{m}_temp_file_write_size\" must be equal to or greater than {maxOf}";
        }

        var maxTemp = level.MaxTempFileSize ?? 1L << 30;
        return maxTemp != 0 && maxTemp < max
            ? $"\"{m}_max_temp_file_size\" must be equal to zero to disable temporary files usage or must be equal to or greater than {maxOf}"
            : null;
    }

    private static Level Read(BoundDirective block, string m, Level parent) =>
        new(
            Size(block, $"{m}_buffer_size") ?? parent.BufferSize,
            Bufs(block, $"{m}_buffers") ?? parent.Buffers,
            Size(block, $"{m}_busy_buffers_size") ?? parent.BusyBuffersSize,
            Size(block, $"{m}_temp_file_write_size") ?? parent.TempFileWriteSize,
            Size(block, $"{m}_max_temp_file_size") ?? parent.MaxTempFileSize,
            First(block, $"{m}_cache") is { Arguments.Count: 1 } cache ? cache.Arg(0) : parent.CacheZone);

    /// <summary>The <c>keys_zone=NAME:SIZE</c> names of the module's <c>X_cache_path</c> lines in the http block.</summary>
    private static HashSet<string> CacheZones(BoundDirective http, string m) =>
        [.. http.ChildrenNamed($"{m}_cache_path")
            .SelectMany(d => d.Arguments.Select(a => a.Value))
            .Where(v => v.StartsWith("keys_zone=", StringComparison.Ordinal))
            .Select(v => v[10..].Split(':')[0])];

    private static long? Size(BoundDirective block, string name) =>
        First(block, name) is { Arguments.Count: 1 } d && NginxValue.TryParseSize(d.Arg(0), out var v) ? v : null;

    private static (long Num, long Size)? Bufs(BoundDirective block, string name) =>
        First(block, name) is { Arguments.Count: 2 } d
        && NginxValue.TryParseDigits(d.Arg(0), out var n) && NginxValue.TryParseSize(d.Arg(1), out var s)
            ? (n, s)
            : null;

    // A repeat is a "duplicate" error earlier; the first one is what nginx kept.
    private static BoundDirective? First(BoundDirective block, string name) => block.ChildrenNamed(name).FirstOrDefault();

    private sealed record Level(
        long? BufferSize, (long Num, long Size)? Buffers, long? BusyBuffersSize, long? TempFileWriteSize, long? MaxTempFileSize, string? CacheZone)
    {
        public static Level Unset { get; } = new(null, null, null, null, null, null);
    }
}
