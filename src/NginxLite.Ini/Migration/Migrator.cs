using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Ini.Loading;

namespace NginxLite.Ini.Migration;

/// <summary>Options of <c>nginxlite migrate</c>.</summary>
public sealed record MigrateOptions
{
    /// <summary>The nginx site (or whole nginx.conf) that passes to the ini's socket.</summary>
    public string? NginxSite { get; init; }

    /// <summary>Unknown keys are errors.</summary>
    public bool Strict { get; init; }

    public IniLoadOptions Load { get; init; } = new();
}

/// <summary><c>nginxlite migrate app.ini [--nginx site.conf]</c>: read, translate, rewrite the site, print.</summary>
public static class Migrator
{
    public static MigrationResult Migrate(string iniSpec, MigrateOptions options)
    {
        var document = IniLoader.Load(iniSpec, options.Load);
        var translation = IniTranslator.Translate(document, options.Strict);
        var diagnostics = translation.Diagnostics.ToList();

        IReadOnlyList<ConfigDirective>? site = null;
        var whole = false;
        if (options.NginxSite is { } sitePath)
        {
            var (rewriter, siteDocument, rewritten, siteDiagnostics) = SiteRewriter.Rewrite(sitePath, translation);
            diagnostics.AddRange(siteDiagnostics);
            whole = siteDocument.Directives.Any(d => d.Name == "http");
            if (!whole && siteDocument.Directives.Any(d => d.Name is "location" or "listen" or "server_name"))
            {
                diagnostics.Add(Diagnostic.Emerg($"{sitePath} is neither a whole nginx.conf nor a site (server blocks): give the file with the server {{ }} block", null, int.MaxValue));
            }

            site = rewritten;
            if (rewriter.Replaced == 0)
            {
                var sockets = translation.Sockets.Count == 0 ? "the ini has no \"socket\"" : $"socket \"{translation.Sockets[0]}\"";
                diagnostics.Add(Diagnostic.Warn($"no uwsgi_pass in {sitePath} reaches {sockets}: the site is printed unchanged", null, int.MaxValue));
            }

            diagnostics.AddRange(rewriter.Notes.Select(n => Diagnostic.Warn(n, null, int.MaxValue)));
        }

        var config = document.Entries.Count == 0 && !document.Ok
            ? null
            : MigrationWriter.Write(translation, site, whole, options.NginxSite);
        return new MigrationResult(config, translation, diagnostics);
    }
}
