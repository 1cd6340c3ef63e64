namespace NginxLite.Handlers.Cgi;

/// <summary>
/// The script a request names, found by walking the mapped path one segment at a time (RFC 3875 §4.1.13, §4.1.5):
/// the first segment that is a regular file is the script, the rest of the URI is PATH_INFO
/// (<c>/cgi-bin/app.py/extra/path</c> → SCRIPT_NAME <c>/cgi-bin/app.py</c>, PATH_INFO <c>/extra/path</c>).
/// </summary>
public sealed record CgiScript(string FileName, string ScriptName, string PathInfo)
{
    /// <summary>
    /// Walks <paramref name="fileName"/> (the URI mapped by root/alias: <c>$request_filename</c>) below
    /// <paramref name="documentRoot"/>. <paramref name="uri"/> ends with the same segments, so SCRIPT_NAME is the URI
    /// without PATH_INFO. Null with <paramref name="status"/> 404 (nothing there) or 403 (a directory).
    /// </summary>
    public static CgiScript? Find(string documentRoot, string fileName, string uri, out int status)
    {
        status = 0;
        var root = documentRoot.TrimEnd('/');
        var start = fileName.StartsWith(root + "/", StringComparison.Ordinal) ? root.Length : 0;
        var pos = start;
        while (pos < fileName.Length)
        {
            var next = fileName.IndexOf('/', pos + 1);
            var end = next < 0 ? fileName.Length : next;
            var candidate = fileName[..end];
            if (end > pos + 1)
            {
                if (File.Exists(candidate))
                {
                    var pathInfo = fileName[end..];
                    var scriptName = uri.EndsWith(pathInfo, StringComparison.Ordinal) ? uri[..^pathInfo.Length] : uri;
                    return new CgiScript(candidate, scriptName, pathInfo);
                }

                if (!Directory.Exists(candidate))
                {
                    status = 404;
                    return null;
                }
            }

            pos = end;
        }

        status = Directory.Exists(fileName) ? 403 : 404;
        return null;
    }

    public string BaseName => Path.GetFileName(FileName);

    /// <summary>RFC 3875 §5: a script whose name starts with <c>nph-</c> writes the whole HTTP response head.</summary>
    public bool IsNph => BaseName.StartsWith("nph-", StringComparison.Ordinal);
}
