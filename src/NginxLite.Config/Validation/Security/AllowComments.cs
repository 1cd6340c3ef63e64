using System.Text;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation.Security;

/// <summary>
/// <c># nginxlite: allow ID[,ID…]</c> on a directive's line, or alone on the line above it, silences that
/// finding there (<c>all</c> silences every check). An accepted risk stays visible in the config, next to the directive.
/// </summary>
internal sealed class AllowComments
{
    private const string Marker = "nginxlite: allow";

    private readonly Dictionary<string, string[]> _lines = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ConfigFile> _files;

    public AllowComments(IReadOnlyList<ConfigFile> files) => _files = files;

    public bool Allows(SecurityFinding finding) =>
        Names(finding.Position.File, finding.Position.Line, sameLine: true).Contains(finding.Check)
        || Names(finding.Position.File, finding.Position.Line - 1, sameLine: false).Contains(finding.Check);

    private HashSet<string> Names(string file, int line, bool sameLine)
    {
        var lines = Lines(file);
        if (line < 1 || line > lines.Length)
        {
            return [];
        }

        var text = lines[line - 1];
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0 || (!sameLine && text[..hash].Trim().Length > 0))
        {
            return [];
        }

        var comment = text[(hash + 1)..].Trim();
        if (!comment.StartsWith(Marker, StringComparison.Ordinal))
        {
            return [];
        }

        var names = comment[Marker.Length..].Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (names.Contains("all"))
        {
            names.UnionWith(SecurityLint.Checks.Select(c => c.Id));
        }

        return names;
    }

    private string[] Lines(string file)
    {
        if (!_lines.TryGetValue(file, out var lines))
        {
            var content = _files.FirstOrDefault(f => f.Path == file)?.Content;
            lines = content is null ? [] : Encoding.UTF8.GetString(content).Split('\n');
            _lines[file] = lines;
        }

        return lines;
    }
}
