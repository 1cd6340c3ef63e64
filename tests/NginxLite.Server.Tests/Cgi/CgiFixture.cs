using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.Cgi;

/// <summary>Scripts for the CGI tests, written into a running test server's document root.</summary>
internal static class CgiFixture
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101; // 0755

    /// <summary>Prints the ids the kernel gave the script, then its whole environment.</summary>
    public const string IdScript = """
        #!/bin/sh
        echo "Content-Type: text/plain"
        echo
        echo "uid=$(id -u)"
        echo "gid=$(id -g)"
        echo "groups=$(id -G)"
        echo "uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' /proc/self/status)"
        echo "gids=$(awk '/^Gid:/ {print $2, $3, $4, $5}' /proc/self/status)"
        echo "caps=$(awk '/^CapPrm:/ {print $2}' /proc/self/status)/$(awk '/^CapEff:/ {print $2}' /proc/self/status)"
        env | sort
        """;

    /// <summary>Writes html/<paramref name="name"/> with <paramref name="mode"/>, owned by root.</summary>
    public static string Script(TestServer s, string name, string content, UnixFileMode mode = Executable)
    {
        var path = Path.Combine(s.Prefix, "html", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public static async Task<TestServer> StartAsync(string locations)
    {
        TestUsers.Ensure();
        return await TestServer.StartAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                server_name localhost;
                root html;
                {{locations}}
            }
            """);
    }

    /// <summary>The body with chunked transfer coding removed (a CGI response without Content-Length is chunked).</summary>
    public static string Text(this RawResponse r)
    {
        if (r.Header("Transfer-Encoding") != "chunked")
        {
            return r.Body;
        }

        var sb = new System.Text.StringBuilder();
        var rest = r.Body;
        while (true)
        {
            var eol = rest.IndexOf("\r\n", StringComparison.Ordinal);
            var size = Convert.ToInt32(rest[..eol].Split(';')[0], 16);
            if (size == 0)
            {
                return sb.ToString();
            }

            sb.Append(rest, eol + 2, size);
            rest = rest[(eol + 2 + size + 2)..];
        }
    }

    /// <summary>KEY=VALUE lines of a response body.</summary>
    public static Dictionary<string, string> Vars(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains('='))
            .Select(l => l.Split('=', 2))
            .GroupBy(kv => kv[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);
}
