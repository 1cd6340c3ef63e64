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
            string? error = null;
            foreach (var m in Modules)
            {
                // The http level and its cache zones once per module, not per server.
                var httpLevel = Read(http, m, Level.Unset);
                var zones = CacheZones(http, m);
                foreach (var server in ConfigTree.Servers(http))
                {
                    error ??= CheckBlock(server, m, httpLevel, zones);
                }

                if (error is not null)
                {
                    break;
                }
            }

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

        foreach (var location in block.Children)
        {
            if (location.Name == "location" && location.Syntax.HasBlock && CheckBlock(location, module, level, zones) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static string MaxOf(string m) => $"the maximum of the value of \"{m}_buffer_size\" and one of the \"{m}_buffers\"";

    private static string? Check(Level level, string m)
    {
        var bufferSize = level.BufferSize ?? PageSize;
        var (num, size) = level.Buffers ?? (8, PageSize);
        if (num < 2)
        {
            return $"there must be at least 2 \"{m}_buffers\"";
        }

        var max = Math.Max(bufferSize, size);
        var busy = level.BusyBuffersSize ?? 2 * max;
        if (busy < max)
        {
            return $"\"{m}_busy_buffers_size\" must be equal to or greater than {MaxOf(m)}";
        }

        if (busy > (num - 1) * size)
        {
            return $"\"{m}_busy_buffers_size\" must be less than the size of all \"{m}_buffers\" minus one buffer";
        }

        if ((level.TempFileWriteSize ?? 2 * max) < max)
        {
            return $"\"{m}_temp_file_write_size\" must be equal to or greater than {MaxOf(m)}";
        }

        var maxTemp = level.MaxTempFileSize ?? 1L << 30;
        return maxTemp != 0 && maxTemp < max
            ? $"\"{m}_max_temp_file_size\" must be equal to zero to disable temporary files usage or must be equal to or greater than {MaxOf(m)}"
            : null;
    }

    /// <summary>One pass over the block's children (this runs for every block and module: no per-name scans,
    /// no name strings built); a block that sets nothing of the module shares its parent's level.</summary>
    private static Level Read(BoundDirective block, string m, Level parent)
    {
        Level? level = null;
        var seen = 0;
        foreach (var child in block.Children)
        {
            var name = child.Name;
            if (name.Length <= m.Length + 1 || !name.StartsWith(m, StringComparison.Ordinal) || name[m.Length] != '_')
            {
                continue;
            }

            // The first of a repeated directive is what nginx kept (a repeat is a "duplicate" error earlier).
            var (bit, apply) = name.AsSpan(m.Length + 1) switch
            {
                "buffer_size" => (1, (Func<Level, Level>)(l => l with { BufferSize = Size(child) ?? l.BufferSize })),
                "buffers" => (2, l => l with { Buffers = Bufs(child) ?? l.Buffers }),
                "busy_buffers_size" => (4, l => l with { BusyBuffersSize = Size(child) ?? l.BusyBuffersSize }),
                "temp_file_write_size" => (8, l => l with { TempFileWriteSize = Size(child) ?? l.TempFileWriteSize }),
                "max_temp_file_size" => (16, l => l with { MaxTempFileSize = Size(child) ?? l.MaxTempFileSize }),
                "cache" => (32, l => child.Arguments.Count == 1 ? l with { CacheZone = child.Arg(0) } : l),
                _ => (0, null),
            };
            if (apply is null || (seen & bit) != 0)
            {
                continue;
            }

            seen |= bit;
            level = apply(level ?? parent);
        }

        return level ?? parent;
    }

    /// <summary>The <c>keys_zone=NAME:SIZE</c> names of the module's <c>X_cache_path</c> lines in the http block.</summary>
    private static HashSet<string> CacheZones(BoundDirective http, string m) =>
        [.. http.ChildrenNamed($"{m}_cache_path")
            .SelectMany(d => d.Arguments.Select(a => a.Value))
            .Where(v => v.StartsWith("keys_zone=", StringComparison.Ordinal))
            .Select(v => v[10..].Split(':')[0])];

    private static long? Size(BoundDirective d) =>
        d.Arguments.Count == 1 && NginxValue.TryParseSize(d.Arg(0), out var v) ? v : null;

    private static (long Num, long Size)? Bufs(BoundDirective d) =>
        d.Arguments.Count == 2 && NginxValue.TryParseDigits(d.Arg(0), out var n) && NginxValue.TryParseSize(d.Arg(1), out var s)
            ? (n, s)
            : null;

    private sealed record Level(
        long? BufferSize, (long Num, long Size)? Buffers, long? BusyBuffersSize, long? TempFileWriteSize, long? MaxTempFileSize, string? CacheZone)
    {
        public static Level Unset { get; } = new(null, null, null, null, null, null);
    }
}
