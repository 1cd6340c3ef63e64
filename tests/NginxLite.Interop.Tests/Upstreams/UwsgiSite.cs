using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>uWSGI (python3 plugin, 2 processes) running an echo WSGI app behind nginx and nginxlite.</summary>
public sealed class UwsgiSite : IDisposable
{
    public UwsgiSite()
    {
        Dir = new TempDir("nginxlite-uwsgi-");
        var app = Dir.File("echo_app.py", Backends.EchoWsgi);
        try
        {
            Uwsgi = Backends.StartUwsgi(Dir, app);
            Pair = new UpstreamPair(Dir, Config);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; }

    public BackendProcess? Uwsgi { get; }

    public UpstreamPair? Pair { get; }

    public string Config(int port) => UpstreamConfig.Http($$"""
            client_max_body_size 200m;
            uwsgi_param X_HTTP_LEVEL http;

            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                root {{Dir.Path}};

                location / {
                    uwsgi_pass unix:{{Uwsgi!.Socket}};
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_param X_EMPTY $http_x_none if_not_empty;
                    uwsgi_param X_PRESENT $http_x_some if_not_empty;
                }

                location /stream/ {
                    uwsgi_pass unix:{{Uwsgi!.Socket}};
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_request_buffering off;
                    uwsgi_buffering off;
                }

                location /inherit/ {
                    uwsgi_pass unix:{{Uwsgi!.Socket}};
                }

                location /intercept/ {
                    rewrite ^/intercept(/.*)$ $1 break;
                    uwsgi_pass unix:{{Uwsgi!.Socket}};
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_intercept_errors on;
                    error_page 404 = @notfound;
                }

                location /hide/ {
                    rewrite ^/hide(/.*)$ $1 break;
                    uwsgi_pass unix:{{Uwsgi!.Socket}};
                    include {{RepoPaths.Conf}}/uwsgi_params;
                    uwsgi_hide_header X-Code;
                }

                location @notfound { return 404 "custom not found\n"; }
            }
        """);

    public void Dispose()
    {
        Pair?.Dispose();
        Uwsgi?.Dispose();
        Dir.Dispose();
    }
}
