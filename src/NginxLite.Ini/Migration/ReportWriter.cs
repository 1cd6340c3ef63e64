using System.Text;
using System.Text.Json;

namespace NginxLite.Ini.Migration;

/// <summary>The migration report as an aligned text table or as JSON (one object per ini key).</summary>
public static class ReportWriter
{
    public static string Text(IReadOnlyList<ReportRow> rows)
    {
        string Where(ReportRow r) => $"{Path.GetFileName(r.Position.File)}:{r.Position.Line}";
        string What(ReportRow r) => r.Value.Length == 0 ? r.Key : $"{r.Key} = {r.Value}";

        var header = new[] { "line", "key = value", "outcome", "becomes", "reason" };
        var table = rows.Select(r => new[] { Where(r), Clip(What(r), 60), r.Outcome, r.Becomes, r.Reason }).ToList();
        var widths = new int[4];
        foreach (var row in table.Prepend(header))
        {
            for (var i = 0; i < 4; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var b = new StringBuilder();
        foreach (var row in table.Prepend(header))
        {
            for (var i = 0; i < 4; i++)
            {
                b.Append(row[i].PadRight(widths[i])).Append("  ");
            }

            b.Append(row[4]).Append('\n');
        }

        var counts = rows.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        b.Append(rows.Count).Append(" keys: ");
        b.Append(string.Join(", ", new[] { "mapped", "ignored", "unsupported", "unknown" }
            .Select(o => $"{counts.GetValueOrDefault(o)} {o}")));
        b.Append('\n');
        return b.ToString();
    }

    public static string Json(IReadOnlyList<ReportRow> rows)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("file", r.Position.File);
                w.WriteNumber("line", r.Position.Line);
                w.WriteString("key", r.Key);
                w.WriteString("value", r.Value);
                w.WriteString("outcome", r.Outcome);
                w.WriteString("becomes", r.Becomes);
                w.WriteString("reason", r.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
