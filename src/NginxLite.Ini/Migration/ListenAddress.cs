namespace NginxLite.Ini.Migration;

/// <summary>uWSGI socket addresses: as nginx <c>listen</c> arguments, and compared with nginx's <c>uwsgi_pass</c> targets.</summary>
public static class ListenAddress
{
    /// <summary>
    /// <c>:8080</c> → <c>8080</c> (uWSGI binds every address), <c>host:port</c> as is, a path → <c>unix:PATH</c>.
    /// Null for what nginx cannot listen on (abstract <c>@name</c> sockets, <c>=N</c> inherited descriptors).
    /// </summary>
    public static string? FromUwsgi(string address)
    {
        var a = address.Split(',')[0].Trim();
        if (a.Length == 0 || a[0] is '@' or '=')
        {
            return null;
        }

        if (a.Contains('/', StringComparison.Ordinal) || a.EndsWith(".sock", StringComparison.Ordinal))
        {
            return "unix:" + a;
        }

        var colon = a.LastIndexOf(':');
        if (colon < 0)
        {
            return null;
        }

        var port = a[(colon + 1)..];
        if (port.Length == 0 || !port.All(char.IsAsciiDigit))
        {
            return null;
        }

        var host = a[..colon];
        return host is "" or "*" or "0.0.0.0" ? port : a;
    }

    /// <summary>
    /// True when nginx's <c>uwsgi_pass TARGET</c> reaches the uWSGI socket <paramref name="socket"/>.
    /// Relative Unix paths (relative to uWSGI's working directory) match by their full path under
    /// <paramref name="iniDirectory"/> or by trailing path components.
    /// </summary>
    public static bool Matches(string target, string socket, string iniDirectory)
    {
        var t = target.StartsWith("uwsgi://", StringComparison.Ordinal) ? target[8..] : target;
        if (t.StartsWith("unix:", StringComparison.Ordinal))
        {
            // unix:///run/app.sock (the uWSGI tutorial's spelling) is the same path.
            var path = "/" + t[5..].TrimStart('/');
            if (!t[5..].StartsWith('/'))
            {
                path = t[5..];
            }

            if (!socket.Contains('/', StringComparison.Ordinal) && !socket.EndsWith(".sock", StringComparison.Ordinal))
            {
                return false;
            }

            if (path == socket)
            {
                return true;
            }

            var full = Path.IsPathRooted(socket) ? socket : Path.GetFullPath(socket, iniDirectory);
            return path == full || (!Path.IsPathRooted(socket) && path.EndsWith("/" + socket.TrimStart('.', '/'), StringComparison.Ordinal));
        }

        var tc = t.LastIndexOf(':');
        var sc = socket.LastIndexOf(':');
        if (tc < 0 || sc < 0 || t[(tc + 1)..] != socket[(sc + 1)..])
        {
            return false;
        }

        var (th, sh) = (Host(t[..tc]), Host(socket[..sc]));
        return sh is "" or "*" or "0.0.0.0" || th == sh;
    }

    private static string Host(string h) => h is "localhost" or "[::1]" ? "127.0.0.1" : h;
}
