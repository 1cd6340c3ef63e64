namespace NginxLite.Routing.Settings;

/// <summary>
/// The uwsgi_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class UwsgiSettings : CgiUpstreamSettings
{
    public static readonly UwsgiSettings Default = new();

    /// <summary><c>uwsgi_modifier1</c>: 0 = WSGI.</summary>
    public byte Modifier1 { get; internal set; }

    public byte Modifier2 { get; internal set; }

    internal UwsgiSettings Clone() => (UwsgiSettings)MemberwiseClone();
}
