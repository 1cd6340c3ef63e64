using System.Text;

namespace NginxLite.Config.Directives;

/// <summary>Renders docs/directives.md from the tables (the tables are the single source).</summary>
public static class DirectiveDocs
{
    public static string Render()
    {
        var all = DirectiveRegistry.All;
        var sb = new StringBuilder();
        sb.Append("# Directives\n\n")
            .Append("Generated from the directive tables (`src/NginxLite.Config/Directives/`) by `DirectiveDocs.Render()`;\n")
            .Append("`NGINXLITE_UPDATE_DOCS=1 dotnet test tests/NginxLite.Config.Tests` rewrites it.\n\n")
            .Append($"{all.Length} rows: {Count(DirectiveSupport.Supported)} supported, {Count(DirectiveSupport.Ignored)} ignored, ")
            .Append($"{Count(DirectiveSupport.Unsupported)} unsupported. A name appears once per module that declares it.\n\n")
            .Append("| directive | module | contexts | support | note |\n|---|---|---|---|---|\n");
        foreach (var s in all.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Module, StringComparer.Ordinal))
        {
            sb.Append($"| `{s.Name}` | {s.Module} | {s.Contexts.ToString().Replace(", ", " ", StringComparison.Ordinal)} | ")
                .Append($"{s.Support.ToString().ToLowerInvariant()} | {s.Note?.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return sb.ToString();

        int Count(DirectiveSupport support) => all.Count(s => s.Support == support);
    }
}
