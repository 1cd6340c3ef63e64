namespace NginxLite.Routing.Settings;

/// <summary>
/// The proxy_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class ProxySettings
{
    public static readonly ProxySettings Default = new();

    internal ProxySettings Clone() => (ProxySettings)MemberwiseClone();
}
