namespace NginxLite.Routing.Settings;

/// <summary>
/// The uwsgi_* directives of one location, merged http → server → location. Shared between levels until a level sets
/// one of them: the compiler then works on a <see cref="Clone"/> (copy on write), so a parent never sees a child's.
/// </summary>
public sealed class UwsgiSettings
{
    public static readonly UwsgiSettings Default = new();

    internal UwsgiSettings Clone() => (UwsgiSettings)MemberwiseClone();
}
