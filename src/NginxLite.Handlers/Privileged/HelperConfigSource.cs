namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The configuration the server was started with, as the command line named it (<c>-c</c>, <c>-p</c>, <c>-g</c>,
/// <c>--ignore-modules</c>): the helper reads it again, as root, whenever the server asks for something only the
/// current configuration can allow (a new port, a new log, a new account) — as nginx's root master re-reads it on HUP.
/// </summary>
public sealed record HelperConfigSource(string File, string Prefix, string? Globals, bool IgnoreModules)
{
    /// <summary>The helper's command line arguments that carry it.</summary>
    public IEnumerable<string> ToArguments()
    {
        yield return "--conf";
        yield return File;
        yield return "--prefix";
        yield return Prefix;
        if (Globals is not null)
        {
            yield return "--globals";
            yield return Globals;
        }

        if (IgnoreModules)
        {
            yield return "--ignore-modules";
        }
    }
}
