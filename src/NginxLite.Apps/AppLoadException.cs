namespace NginxLite.Apps;

/// <summary>A pool could not start: a worker exited before <c>NGINXLITE-READY</c> (22: the app failed to import, uWSGI's
/// need-app), or did not get ready in time. The traceback is already in the error log.</summary>
public sealed class AppLoadException(string app, string reason) : Exception($"app \"{app}\" failed to load ({reason})")
{
    public string App { get; } = app;
}
