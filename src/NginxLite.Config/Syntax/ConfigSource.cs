using System.Text;

namespace NginxLite.Config.Syntax;

/// <summary>Reads config files as bytes and picks their text encoding: strict UTF-8, else Latin-1 so no byte is lost.</summary>
internal static class ConfigSource
{
    /// <summary>nginx works on bytes; we keep every one: Latin-1 maps each byte to the char of the same value.</summary>
    public static Encoding EncodingOf(byte[] content) =>
        System.Text.Unicode.Utf8.IsValid(content) ? Encoding.UTF8 : Encoding.Latin1;

    /// <summary>Read a whole file; on failure returns nginx's message, e.g. <c>open() "/x" failed (2: No such file or directory)</c>.</summary>
    public static byte[]? TryRead(string path, out string? error, IReadOnlyDictionary<string, byte[]>? virtualFiles = null)
    {
        error = null;
        if (virtualFiles is not null && virtualFiles.TryGetValue(path, out var content))
        {
            return content;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            // open(2) succeeds on a directory and nginx then fails reading it; .NET refuses to open one.
            // Checked only on failure: a stat per include file is measurable on configs of a thousand files.
            error = $"pread() \"{path}\" failed (21: Is a directory)";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error = $"open() \"{path}\" failed (2: No such file or directory)";
        }
        catch (UnauthorizedAccessException)
        {
            error = $"open() \"{path}\" failed (13: Permission denied)";
        }
        catch (IOException e)
        {
            error = $"open() \"{path}\" failed ({e.Message})";
        }

        return null;
    }
}
