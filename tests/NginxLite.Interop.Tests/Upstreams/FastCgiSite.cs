using Xunit;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>php-fpm behind nginx and nginxlite with one config exercising the fastcgi_* directives (shared by the
/// FastCGI tests: starting three servers once).</summary>
public sealed class FastCgiSite : IDisposable
{
    public FastCgiSite()
    {
        Dir = new TempDir("nginxlite-fcgi-");
        Www = Dir.Dir("www");
        Backends.WritePhpScripts(Www);
        Directory.CreateDirectory(Path.Combine(Www, "idx"), TempDir.ReadableDirectory);
        File.Copy(Path.Combine(Www, "dump.php"), Path.Combine(Www, "idx", "dump.php"));
        File.WriteAllText(Path.Combine(Www, "custom404.html"), "custom not found page\n");
        try
        {
            Fpm = Backends.StartPhpFpm(Dir);
            Pair = new UpstreamPair(Dir, Config);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public string Www { get; }

    public BackendProcess? Fpm { get; }

    public UpstreamPair? Pair { get; }

    public string Config(int port) => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/server.pid;
        events { worker_connections 512; }
        http {
            include {{RepoPaths.MimeTypes}};
            default_type application/octet-stream;
            access_log logs/access.log;
            server_tokens off;
            client_max_body_size 200m;
            fastcgi_param X_HTTP_LEVEL http;

            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                root {{Www}};
                include {{RepoPaths.Conf}}/fastcgi.conf;
                fastcgi_param X_SERVER_LEVEL yes;

                location ~ [^/]\.php(/|$) {
                    fastcgi_split_path_info ^(.+?\.php)(/.*)$;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                    fastcgi_index index.php;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_param PATH_INFO $fastcgi_path_info;
                    fastcgi_param X_SCRIPT_NAME $fastcgi_script_name;
                    fastcgi_param X_EMPTY $http_x_none if_not_empty;
                    fastcgi_param X_PRESENT $http_x_some if_not_empty;
                    fastcgi_param HTTP_X_OVERRIDE from-config;
                    fastcgi_param HTTP_X_BLANK "";
                }

                location ^~ /stream/ {
                    rewrite ^/stream(/.*)$ $1 break;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_request_buffering off;
                    fastcgi_buffering off;
                }

                location ^~ /intercept/ {
                    rewrite ^/intercept(/.*)$ $1 break;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_intercept_errors on;
                    error_page 404 /custom404.html;
                }

                location ^~ /hide/ {
                    rewrite ^/hide(/.*)$ $1 break;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                    fastcgi_hide_header X-Code;
                    fastcgi_hide_header Set-Cookie;
                }

                location ^~ /idx/ {
                    fastcgi_pass unix:{{Fpm!.Socket}};
                    fastcgi_index dump.php;
                    include {{RepoPaths.Conf}}/fastcgi.conf;
                }

                location ^~ /inherit/ {
                    rewrite ^/inherit(/.*)$ $1 break;
                    fastcgi_pass unix:{{Fpm!.Socket}};
                }
            }
        }
        """;

    public void Dispose()
    {
        Pair?.Dispose();
        Fpm?.Dispose();
        Dir.Dispose();
    }
}
