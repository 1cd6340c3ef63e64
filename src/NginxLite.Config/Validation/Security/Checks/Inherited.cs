namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>nginx's merge of a directive down the levels (http → server → location → if), read off the syntax tree.</summary>
internal static class Inherited
{
    /// <summary>The block itself and its ancestors, innermost first.</summary>
    public static IEnumerable<LintNode> Levels(LintNode block)
    {
        yield return block;
        foreach (var a in block.Ancestors())
        {
            yield return a;
        }
    }

    /// <summary>A single-value directive in effect at <paramref name="block"/>: the nearest level's last one.</summary>
    public static LintNode? Value(LintNode block, string name) =>
        Levels(block).Select(l => l.Find(name).LastOrDefault()).FirstOrDefault(d => d is not null);

    /// <summary>
    /// An array directive (add_header, fastcgi_param …) in effect at <paramref name="block"/>: the nearest level that
    /// has any replaces all outer ones (ngx_conf_merge_ptr_value: "inherited only if none on the current level").
    /// </summary>
    public static IReadOnlyList<LintNode> Array(LintNode block, string name)
    {
        foreach (var level in Levels(block))
        {
            var own = level.Find(name).ToList();
            if (own.Count > 0)
            {
                return own;
            }
        }

        return [];
    }
}
