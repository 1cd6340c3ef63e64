namespace NginxLite.Routing.Settings;

/// <summary>The first argument of <c>disable_symlinks</c> (ngx_http_core_module).</summary>
public enum SymlinkCheck : byte
{
    /// <summary>Symlinks are followed and not checked (the default).</summary>
    Off,

    /// <summary>A symlink in any checked component of the path denies access.</summary>
    On,

    /// <summary>A symlink whose owner differs from its target's owner denies access.</summary>
    IfNotOwner,
}
