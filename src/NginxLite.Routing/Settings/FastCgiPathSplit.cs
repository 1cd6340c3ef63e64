using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// <c>$fastcgi_script_name</c> and <c>$fastcgi_path_info</c> as ngx_http_fastcgi_split computes them: the URI matched
/// against fastcgi_split_path_info (captures 1 and 2; no match: the whole URI and empty), and fastcgi_index appended to
/// a script name that ends in a slash. As in nginx, the match sets the request's captures.
/// </summary>
public static class FastCgiPathSplit
{
    public static string ScriptName(IRequestState state, FastCgiSettings settings)
    {
        var script = Split(state, settings, out _);
        return script.EndsWith('/') && settings.Index is { } index ? script + index : script;
    }

    public static string PathInfo(IRequestState state, FastCgiSettings settings)
    {
        Split(state, settings, out var pathInfo);
        return pathInfo;
    }

    private static string Split(IRequestState state, FastCgiSettings settings, out string pathInfo)
    {
        pathInfo = "";
        var uri = state.Uri;
        if (settings.SplitPathInfo is not { } regex)
        {
            return uri;
        }

        var m = regex.Regex.Match(uri);
        if (!m.Success)
        {
            return uri;
        }

        regex.Bind(m, state);
        pathInfo = m.Groups.Count > 2 ? m.Groups[2].Value : "";
        return m.Groups.Count > 1 ? m.Groups[1].Value : "";
    }
}
