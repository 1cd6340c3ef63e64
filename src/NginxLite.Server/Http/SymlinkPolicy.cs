using NginxLite.Handlers.Posix;
using NginxLite.Routing.Settings;

namespace NginxLite.Server.Http;

/// <summary>
/// <c>disable_symlinks</c> (ngx_http_core_module, ngx_open_file_wrapper): with <c>on</c> a symlink in any checked
/// component of the path denies access; with <c>if_not_owner</c> only one whose owner differs from its target's.
/// Components in <c>from=PART</c> are not checked when PART is an initial part of the path (the whole path: nothing is
/// checked); otherwise every component from "/" is. A component that does not exist ends the walk: the open fails
/// with its own error (404) as in nginx.
/// </summary>
internal static class SymlinkPolicy
{
    public static bool Allows(string path, SymlinkCheck mode, string? from)
    {
        if (mode == SymlinkCheck.Off)
        {
            return true;
        }

        var start = 1;
        if (!string.IsNullOrEmpty(from))
        {
            var part = from.TrimEnd('/');
            if (part.Length == path.Length && path == part)
            {
                return true;
            }

            if (path.StartsWith(part, StringComparison.Ordinal) && path.Length > part.Length && path[part.Length] == '/')
            {
                start = part.Length + 1;
            }
        }

        while (start <= path.Length)
        {
            var slash = path.IndexOf('/', start);
            var end = slash < 0 ? path.Length : slash;
            if (end > start)
            {
                var component = path[..end];
                if (FileStatus.Get(component, noFollow: true) is not { } link)
                {
                    return true;
                }

                if (link.IsSymlink && (mode == SymlinkCheck.On || FileStatus.Get(component) is not { } target || target.Uid != link.Uid))
                {
                    return false;
                }
            }

            if (slash < 0)
            {
                break;
            }

            start = slash + 1;
        }

        return true;
    }
}
