using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Ini.Migration;

/// <summary>
/// The nginx site that passes to the ini's socket, rewritten for NginxLite: each <c>uwsgi_pass</c> that reaches the
/// ini's <c>socket</c> (directly or through an <c>upstream</c> whose servers all do) becomes <c>app_pass NAME;</c>,
/// <c>include uwsgi_params;</c> is dropped from blocks left with no <c>uwsgi_pass</c>, and <c>static-map</c> locations
/// are added to each server that now passes to the app; an <c>upstream</c> whose servers are all the ini's socket is dropped. Includes are kept as written (not expanded). Comments are not
/// kept: the tree is printed back with <see cref="ConfigPrinter"/>.
/// </summary>
public sealed class SiteRewriter
{
    private readonly AppTranslation _app;
    private readonly string _iniDirectory;
    private readonly HashSet<string> _upstreams = new(StringComparer.Ordinal);

    private SiteRewriter(AppTranslation app)
    {
        _app = app;
        _iniDirectory = Path.GetDirectoryName(app.Document.MainFile) ?? "/";
    }

    /// <summary>How many <c>uwsgi_pass</c> were turned into <c>app_pass</c>.</summary>
    public int Replaced { get; private set; }

    /// <summary>Static-map mounts skipped because the server already has a location with that name.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Reads <paramref name="sitePath"/> (includes not expanded) and rewrites it.</summary>
    public static (SiteRewriter Rewriter, ConfigDocument Document, IReadOnlyList<ConfigDirective> Directives, IReadOnlyList<Diagnostic> Diagnostics)
        Rewrite(string sitePath, AppTranslation app)
    {
        var bag = new DiagnosticBag();
        var document = ConfigLoader.Load(sitePath, new LoadOptions { ExpandIncludes = false }, bag);
        var rewriter = new SiteRewriter(app);
        rewriter.CollectUpstreams(document.Directives);
        var rewritten = rewriter.Block(document.Directives, out _);
        var diagnostics = bag.InNginxOrder().ToList();
        if (document.SyntaxError is { } error)
        {
            diagnostics.Add(error);
        }

        return (rewriter, document, rewritten, diagnostics);
    }

    private void CollectUpstreams(IReadOnlyList<ConfigDirective> directives)
    {
        foreach (var d in directives)
        {
            if (d.Name == "upstream" && d.Arguments.Count == 1 && d.Block is { } servers)
            {
                var addresses = servers.Where(s => s.Name == "server" && s.Arguments.Count > 0).Select(s => s.Arg(0)).ToList();
                if (addresses.Count > 0 && addresses.All(Reaches))
                {
                    _upstreams.Add(d.Arg(0));
                }
            }
            else if (d.Block is { } block)
            {
                CollectUpstreams(block);
            }
        }
    }

    private bool Reaches(string target) => _app.Sockets.Any(s => ListenAddress.Matches(target, s, _iniDirectory));

    private bool PassesToApp(ConfigDirective d) =>
        _app.HasEntryPoint && d.Name == "uwsgi_pass" && d.Arguments.Count == 1 && (Reaches(d.Arg(0)) || _upstreams.Contains(d.Arg(0)));

    /// <summary>Rewrites one block's children; <paramref name="stillUwsgi"/> says whether any uwsgi_pass remains inside.</summary>
    private List<ConfigDirective> Block(IReadOnlyList<ConfigDirective> children, out bool stillUwsgi)
    {
        var result = new List<ConfigDirective>(children.Count);
        var replacedHere = false;
        stillUwsgi = false;
        foreach (var d in children)
        {
            if (_app.HasEntryPoint && d.Name == "upstream" && d.Arguments.Count == 1 && _upstreams.Contains(d.Arg(0)))
            {
                // Every server of it is the ini's socket and every uwsgi_pass to it becomes app_pass: nothing uses it.
                continue;
            }

            if (PassesToApp(d))
            {
                result.Add(d with { Name = "app_pass", RawName = null, Arguments = [ConfigArgument.Bare(_app.AppName)] });
                Replaced++;
                replacedHere = true;
                continue;
            }

            if (d.Name == "uwsgi_pass")
            {
                stillUwsgi = true;
            }

            if (d.Block is { } block)
            {
                var before = Replaced;
                var inner = Block(block, out var innerUwsgi);
                stillUwsgi |= innerUwsgi;
                replacedHere |= Replaced > before;
                var rewritten = d with { Block = inner };
                if (d.Name == "server" && Replaced > before)
                {
                    rewritten = AddStaticMaps(rewritten);
                }

                result.Add(rewritten);
                continue;
            }

            result.Add(d);
        }

        if (replacedHere && !stillUwsgi)
        {
            result.RemoveAll(IsUwsgiParamsInclude);
        }

        return result;
    }

    private static bool IsUwsgiParamsInclude(ConfigDirective d) =>
        d.Name == "include" && d.Arguments.Count == 1 && Path.GetFileName(d.Arg(0)) == "uwsgi_params";

    private ConfigDirective AddStaticMaps(ConfigDirective server)
    {
        if (_app.StaticMaps.Count == 0)
        {
            return server;
        }

        var children = server.Block!.ToList();
        var existing = children.Where(c => c.Name == "location").Select(c => string.Join(" ", c.Arguments.Select(a => a.Value))).ToHashSet();
        var at = children.FindIndex(c => c.Name == "location");
        if (at < 0)
        {
            at = children.Count;
        }

        foreach (var map in _app.StaticMaps)
        {
            if (existing.Contains(map.Mount))
            {
                Notes.Add($"static-map \"{map.Mount}\" ({Path.GetFileName(map.Position.File)}:{map.Position.Line}) not added: the server already has \"location {map.Mount}\"");
                continue;
            }

            children.Insert(at++, MigrationWriter.StaticLocation(map));
        }

        return server with { Block = children };
    }
}
