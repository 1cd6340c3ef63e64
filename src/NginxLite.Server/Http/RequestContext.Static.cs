using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Server.Http;

/// <summary>The index and static modules: a URI ending in '/' tries the index files, else the file itself.</summary>
internal sealed partial class RequestContext
{
    private Outcome Static()
    {
        if (Method is not ("GET" or "HEAD" or "POST"))
        {
            return Error(405);
        }

        var path = MapPath(Uri);
        if (Settings.DisableSymlinks != SymlinkCheck.Off && !SymlinkPolicy.Allows(path, Settings.DisableSymlinks, Settings.DisableSymlinksFrom?.Evaluate(this)))
        {
            // ngx_http_static_handler: the open fails with ELOOP, answered 403
            Log(ErrorLevel.Error, $"open() \"{path}\" failed (40: Too many levels of symbolic links)");
            return Error(403);
        }

        if (Uri.EndsWith('/'))
        {
            foreach (var index in Settings.Index)
            {
                var name = index.Evaluate(this);
                if (name.StartsWith('/'))
                {
                    return InternalRedirect(name);
                }

                if (File.Exists(path + name) && SymlinkPolicy.Allows(path + name, Settings.DisableSymlinks, Settings.DisableSymlinksFrom?.Evaluate(this)))
                {
                    return InternalRedirect(Uri + name + (Args.Length > 0 ? "?" + Args : ""));
                }
            }

            if (Directory.Exists(path))
            {
                if (AutoIndex(path) is { } listing)
                {
                    return listing;
                }

                Log(ErrorLevel.Error, $"directory index of \"{path}\" is forbidden");
                return Error(403);
            }

            if (Settings.LogNotFound)
            {
                var first = Settings.Index.Length > 0 ? Settings.Index[0].Evaluate(this) : "";
                Log(ErrorLevel.Error, $"\"{path}{first}\" is not found (2: No such file or directory)");
            }

            return Error(404);
        }

        var file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            // FileInfo describes a symlink itself (lstat): its Length is the target path's length and the body sent
            // would overrun that Content-Length (a 500 head followed by the file). nginx open()s and fstat()s the file
            // the link leads to (disable_symlinks off, the default), so describe the final target.
            try
            {
                file = file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file;
            }
            catch (IOException e)
            {
                // a symlink loop: ngx_http_static_handler answers ELOOP with 403
                Log(ErrorLevel.Error, $"open() \"{path}\" failed ({e.Message})");
                return Error(403);
            }
        }

        if (file.Exists)
        {
            if (Method == "POST")
            {
                return Error(405);
            }

            return new Outcome(OutcomeKind.File, 200, null, file);
        }

        if (Directory.Exists(path))
        {
            return Redirect(301, Uri + "/" + (Args.Length > 0 ? "?" + Args : ""));
        }

        if (Settings.LogNotFound)
        {
            Log(ErrorLevel.Error, $"open() \"{path}\" failed (2: No such file or directory)");
        }

        return Error(404);
    }
}
