namespace NginxLite.Apps;

/// <summary>
/// The worker shims, embedded in the nginxlite binary (NativeAOT single file: there is no install tree to find them in)
/// and written into each pool's private run dir before its workers start.
/// </summary>
internal static class ShimFiles
{
    public const string Python = "nginxlite_wsgi.py";
    public const string Ruby = "nginxlite_rack.rb";

    /// <summary>Writes the shim of <paramref name="rack"/>'s language into <paramref name="directory"/> (mode 0644) and
    /// returns its path.</summary>
    public static string Write(string directory, bool rack)
    {
        var name = rack ? Ruby : Python;
        using var source = typeof(ShimFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the {name} shim is not embedded in this build");
        var path = Path.Combine(directory, name);
        using (var target = File.Create(path))
        {
            source.CopyTo(target);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }
}
