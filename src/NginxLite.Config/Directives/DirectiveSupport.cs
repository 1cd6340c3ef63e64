namespace NginxLite.Config.Directives;

/// <summary>What NginxLite does with a directive nginx knows.</summary>
public enum DirectiveSupport
{
    /// <summary>Honoured as nginx documents it (or will be, by the issue named in the note).</summary>
    Supported,

    /// <summary>Accepted and checked, then a no-op; the note says why it is safe to ignore.</summary>
    Ignored,

    /// <summary>An <c>[emerg]</c> naming the directive and saying it is not implemented.</summary>
    Unsupported,
}
