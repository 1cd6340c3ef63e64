namespace NginxLite.Config.Syntax;

/// <summary>Options for reading a config: where relative includes resolve, and <c>-g</c> directives.</summary>
public sealed record LoadOptions
{
    /// <summary>Directory that relative <c>include</c> paths resolve against: nginx uses the directory of the main config file.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Text of <c>-g "…"</c>, parsed as if written at the top of the main file, reported as "in command line".</summary>
    public string? GlobalDirectives { get; init; }

    /// <summary>Files served from memory instead of disk, by absolute path (tests stand in for /etc/… files with it).</summary>
    public IReadOnlyDictionary<string, byte[]>? VirtualFiles { get; init; }

    /// <summary>
    /// When false, <c>include</c> directives stay in the tree unexpanded and no other file is read
    /// (to check or format one file on its own). nginx always expands them.
    /// </summary>
    public bool ExpandIncludes { get; init; } = true;
}
