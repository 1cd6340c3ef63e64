namespace NginxLite.Server.Http;

/// <summary>
/// An auth_basic_user_file as ngx_http_auth_basic_handler scans it: lines <c>user:hash[:anything]</c>; a line starting
/// with <c>#</c> or CR is skipped; names compare byte for byte; the hash ends at CR, LF, <c>:</c> or the end of file.
/// </summary>
internal static class HtpasswdFile
{
    /// <summary>The stored hash of <paramref name="user"/>, or null when no line names it.</summary>
    public static byte[]? Find(ReadOnlySpan<byte> file, ReadOnlySpan<byte> user)
    {
        while (!file.IsEmpty)
        {
            var end = file.IndexOf((byte)'\n');
            var line = end < 0 ? file : file[..end];
            file = end < 0 ? default : file[(end + 1)..];
            if (line.IsEmpty || line[0] is (byte)'#' or (byte)'\r')
            {
                continue;
            }

            if (line.Length > user.Length && line.StartsWith(user) && line[user.Length] == ':')
            {
                var hash = line[(user.Length + 1)..];
                var stop = hash.IndexOfAny((byte)'\r', (byte)':');
                return (stop < 0 ? hash : hash[..stop]).ToArray();
            }
        }

        return null;
    }
}
