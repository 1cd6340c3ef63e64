using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace NginxLite.Server.Http;

/// <summary>
/// ngx_crypt: the password schemes nginx checks itself (<c>$apr1$</c>, <c>{PLAIN}</c>, <c>{SHA}</c>, <c>{SSHA}</c>),
/// anything else through the system's crypt(3) (libxcrypt: <c>$1$</c>, <c>$5$</c>, <c>$6$</c>, <c>$y$</c>, <c>$2b$</c>, DES).
/// </summary>
internal static class NginxCrypt
{
    private static readonly Lock CryptLock = new(); // crypt(3) returns a static buffer

    public static bool Verify(byte[] password, byte[] stored)
    {
        var text = Encoding.Latin1.GetString(stored);
        if (text.StartsWith("$apr1$", StringComparison.Ordinal))
        {
            return Apr1(password, stored) == text;
        }

        if (text.StartsWith("{PLAIN}", StringComparison.Ordinal))
        {
            return stored.AsSpan(7).SequenceEqual(password);
        }

        if (text.StartsWith("{SHA}", StringComparison.Ordinal))
        {
            return "{SHA}" + Convert.ToBase64String(SHA1.HashData(password)) == text;
        }

        if (text.StartsWith("{SSHA}", StringComparison.Ordinal))
        {
            var decoded = new byte[text.Length];
            if (!TryDecodeBase64(text.AsSpan(6), decoded, out var n) || n < 20)
            {
                return false;
            }

            var salt = decoded.AsSpan(20, n - 20);
            var digest = SHA1.HashData([.. password, .. salt]);
            return "{SSHA}" + Convert.ToBase64String([.. digest, .. salt]) == text;
        }

        return SystemCrypt(password, stored) is { } result && result == text;
    }

    /// <summary>The Apache MD5 scheme (<c>$apr1$salt$hash</c>): md5crypt with the "$apr1$" magic.</summary>
    public static string Apr1(byte[] password, byte[] stored)
    {
        var magic = "$apr1$"u8;
        var salt = stored.AsSpan(magic.Length);
        var dollar = salt.IndexOf((byte)'$');
        if (dollar >= 0)
        {
            salt = salt[..dollar];
        }

        if (salt.Length > 8)
        {
            salt = salt[..8];
        }

        var final = MD5.HashData([.. password, .. salt, .. password]);
        var ctx = new List<byte>(password.Length * 2 + 32);
        ctx.AddRange(password);
        ctx.AddRange(magic);
        ctx.AddRange(salt);
        for (var left = password.Length; left > 0; left -= 16)
        {
            ctx.AddRange(final.AsSpan(0, Math.Min(left, 16)));
        }

        for (var i = password.Length; i != 0; i >>= 1)
        {
            ctx.Add((i & 1) != 0 ? (byte)0 : password[0]);
        }

        final = MD5.HashData(ctx.ToArray());
        for (var i = 0; i < 1000; i++)
        {
            ctx.Clear();
            ctx.AddRange((i & 1) != 0 ? password : final);
            if (i % 3 != 0)
            {
                ctx.AddRange(salt);
            }

            if (i % 7 != 0)
            {
                ctx.AddRange(password);
            }

            ctx.AddRange((i & 1) != 0 ? final : password);
            final = MD5.HashData(ctx.ToArray());
        }

        var sb = new StringBuilder("$apr1$").Append(Encoding.Latin1.GetString(salt)).Append('$');
        To64(sb, (final[0] << 16) | (final[6] << 8) | final[12], 4);
        To64(sb, (final[1] << 16) | (final[7] << 8) | final[13], 4);
        To64(sb, (final[2] << 16) | (final[8] << 8) | final[14], 4);
        To64(sb, (final[3] << 16) | (final[9] << 8) | final[15], 4);
        To64(sb, (final[4] << 16) | (final[10] << 8) | final[5], 4);
        To64(sb, final[11], 2);
        return sb.ToString();
    }

    private const string Itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static void To64(StringBuilder sb, int value, int n)
    {
        while (--n >= 0)
        {
            sb.Append(Itoa64[value & 0x3f]);
            value >>= 6;
        }
    }

    /// <summary>ngx_decode_base64: the standard alphabet up to the first '='; any other byte, or a length of 4n+1, fails.</summary>
    public static bool TryDecodeBase64(ReadOnlySpan<char> src, Span<byte> dst, out int written)
    {
        written = 0;
        var eq = src.IndexOf('=');
        if (eq >= 0)
        {
            src = src[..eq];
        }

        if (src.Length % 4 == 1)
        {
            return false;
        }

        int acc = 0, bits = 0;
        foreach (var c in src)
        {
            int v = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '+' => 62,
                '/' => 63,
                _ => -1,
            };
            if (v < 0)
            {
                return false;
            }

            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                dst[written++] = (byte)(acc >> bits);
            }
        }

        return true;
    }

    private static string? SystemCrypt(byte[] password, byte[] stored)
    {
        lock (CryptLock)
        {
            var result = Crypt([.. password, 0], [.. stored, 0]);
            return result == 0 ? null : Marshal.PtrToStringAnsi(result);
        }
    }

    [DllImport("libcrypt.so.1", EntryPoint = "crypt", ExactSpelling = true)]
    private static extern nint Crypt(byte[] key, byte[] salt);
}
