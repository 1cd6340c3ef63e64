using System.Globalization;

namespace NginxLite.Cli.Apps;

/// <summary>
/// gunicorn's <c>--bind</c> forms (gunicorn/util.py parse_address) as nginx <c>listen</c> arguments:
/// <c>HOST:PORT</c>, <c>[V6]:PORT</c>, <c>HOST</c> (port 8000), <c>:PORT</c> (every address), <c>tcp://…</c>,
/// <c>unix:PATH</c> / <c>unix://PATH</c> (relative to the start directory). <c>fd://N</c> cannot be listened on.
/// </summary>
internal static class BindAddress
{
    public static string? ToListen(string bind, string startDirectory, out string? error)
    {
        error = null;
        if (bind.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = bind.StartsWith("unix://", StringComparison.Ordinal) ? bind[7..] : bind[5..];
            return "unix:" + Path.GetFullPath(path, startDirectory);
        }

        if (bind.StartsWith("fd://", StringComparison.Ordinal))
        {
            error = $"bind \"{bind}\" (an inherited file descriptor) is not supported: bind an address or unix:PATH";
            return null;
        }

        var netloc = bind.StartsWith("tcp://", StringComparison.Ordinal) ? bind[6..] : bind;
        string host, port = "8000";
        if (netloc.Contains('[', StringComparison.Ordinal) && netloc.Contains(']', StringComparison.Ordinal))
        {
            var close = netloc.IndexOf(']', StringComparison.Ordinal);
            host = netloc[..(close + 1)];
            if (netloc.Length > close + 2 && netloc[close + 1] == ':')
            {
                port = netloc[(close + 2)..];
            }
        }
        else if (netloc.Contains(':', StringComparison.Ordinal))
        {
            var colon = netloc.IndexOf(':', StringComparison.Ordinal);
            host = netloc[..colon];
            port = netloc[(colon + 1)..];
        }
        else
        {
            host = netloc.Length == 0 ? "0.0.0.0" : netloc;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
        {
            // gunicorn: RuntimeError("%r is not a valid port number.")
            error = $"'{port}' is not a valid port number.";
            return null;
        }

        return host.Length == 0 ? p.ToString(CultureInfo.InvariantCulture) : $"{host.ToLowerInvariant()}:{p.ToString(CultureInfo.InvariantCulture)}";
    }
}
