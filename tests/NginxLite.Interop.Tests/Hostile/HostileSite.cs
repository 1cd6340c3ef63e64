using System.Text;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// The file tree hostile requests aim at. <c>www/</c> is the root and <c>data/i/</c> an <c>alias</c> target; a secret
/// (<see cref="Secret"/>) sits OUTSIDE both, in sibling directories at every depth a climb could reach:
/// <c>secret/secret.txt</c>, <c>secret.txt</c> beside <c>www</c>, and <c>data/secret.txt</c> beside the alias
/// directory. Symlinks inside the root point out of it, to <c>linked/</c> (a different marker, <see cref="Linked"/>):
/// nginx follows them by default (<c>disable_symlinks off</c>), so only traversal must never show the secret.
/// </summary>
public sealed class HostileSite : IDisposable
{
    private readonly TempDir _dir = new("nginxlite-hostile-");

    public HostileSite()
    {
        Secret = "TOPSECRET-" + Guid.NewGuid().ToString("N");
        Linked = "LINKED-" + Guid.NewGuid().ToString("N");
        Www = _dir.Dir("www");
        AliasDir = _dir.Dir("data/i");
        _dir.File("www/index.html", "<h1>home</h1>\n");
        _dir.File("www/sub/page.html", "<p>page</p>\n");
        _dir.File("www/sub/deeper/page.html", "<p>deeper</p>\n");
        _dir.File("www/nolinks/real.txt", "real file under nolinks\n");
        _dir.File("data/i/pic.txt", "alias file\n");
        _dir.File("data/i/sub/pic.txt", "alias sub file\n");
        foreach (var secret in SecretFiles)
        {
            _dir.File(secret, Secret + "\n");
        }

        _dir.Dir("linked");
        _dir.File("linked/linked.txt", Linked + "\n");
        File.CreateSymbolicLink(Path.Combine(Www, "link-dir"), Path.Combine(_dir.Path, "linked"));
        File.CreateSymbolicLink(Path.Combine(Www, "link-file.txt"), Path.Combine(_dir.Path, "linked", "linked.txt"));
        File.CreateSymbolicLink(Path.Combine(Www, "nolinks", "link-file.txt"), Path.Combine(_dir.Path, "linked", "linked.txt"));
        File.CreateSymbolicLink(Path.Combine(AliasDir, "link-file.txt"), Path.Combine(_dir.Path, "linked", "linked.txt"));
    }

    /// <summary>Files holding <see cref="Secret"/>, relative to <see cref="Root"/>: all outside www/ and data/i/.</summary>
    public static readonly string[] SecretFiles = ["secret/secret.txt", "secret.txt", "data/secret.txt"];

    public string Root => _dir.Path;

    public string Www { get; }

    public string AliasDir { get; }

    public string Secret { get; }

    public string Linked { get; }

    public string NewPrefix(string name) => _dir.Dir("prefix-" + name);

    /// <summary>One config for both servers: static root, an alias, a symlink-refusing location, and a proxy_pass
    /// and uwsgi_pass to capture upstreams. Small limits so the oversize cases are cheap.</summary>
    public string Config(int port, int httpCapture, int uwsgiCapture, int workerConnections = 1024) => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/server.pid;
        events { worker_connections {{workerConnections}}; }
        http {
            access_log off;
            server_tokens off;
            client_header_timeout 3s;
            client_max_body_size 1k;
            large_client_header_buffers 4 8k;
            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                root {{Www}};
                location / { }
                location /i/ { alias {{AliasDir}}/; }
                location /nolinks/ { disable_symlinks on; }
                location /proxy/ { proxy_pass http://127.0.0.1:{{httpCapture}}; }
                location /stream/ {
                    proxy_pass http://127.0.0.1:{{httpCapture}};
                    proxy_request_buffering off;
                    proxy_http_version 1.1;
                }
                location /uwsgi/ {
                    uwsgi_pass 127.0.0.1:{{uwsgiCapture}};
                    uwsgi_param REQUEST_METHOD $request_method;
                    uwsgi_param REQUEST_URI $request_uri;
                    uwsgi_param CONTENT_LENGTH $content_length;
                }
            }
        }
        """;

    public static byte[] Bytes(string request) => Encoding.Latin1.GetBytes(request);

    public void Dispose() => _dir.Dispose();
}
