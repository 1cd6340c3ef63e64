using NginxLite.Routing.Apps;
using NginxLite.Routing.Compilation;

namespace NginxLite.Routing.Tests;

/// <summary>app { } blocks compiled into AppSettings (issue 6): every directive, defaults, ini loading, equality.</summary>
public sealed class AppSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginxlite-app-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private RouteTableLoad Load(string http) =>
        RouteTableLoader.LoadText("events {}\nhttp {\n" + http + "\n}\n", _dir + "/", "nginxlite.conf");

    private AppSettings App(string http, string name = "a")
    {
        var load = Load(http);
        Assert.True(load.Table is not null, string.Join("\n", load.Test.Diagnostics));
        return load.Table!.Apps[name];
    }

    [Fact]
    public void App_OnlyModule_Defaults()
    {
        var a = App("app a { module m:app; }");

        Assert.Equal(("m:app", 1, 1, 100, 4096), (a.Module, a.Processes, a.Threads, a.ListenBacklog, a.BufferSize));
        Assert.Equal(_dir, a.Chdir); // the directory of the config file
        // lazy_apps defaults to on (each worker imports the app; docs/apps.md says why it is not uWSGI's default yet).
        Assert.Equal((TimeSpan.Zero, 0L, 0L, true), (a.Harakiri, a.MaxRequests, a.ReloadOnRss, a.LazyApps));
        Assert.Null(a.Socket);
        Assert.Null(a.User);
        Assert.False(a.IsRack);
    }

    [Fact]
    public void App_EveryDirective_Compiled()
    {
        var a = App("""
            app a {
                wsgi_file app.py; callable application2; chdir /srv/x; virtualenv venv; pythonpath lib; pythonpath /opt/lib;
                processes 3; threads 2; user www-data www-data; env A=1; env B=2; harakiri 30s; max_requests 100;
                reload_on_rss 128m; lazy_apps on; listen_backlog 64; buffer_size 8k; socket app.sock; chmod_socket 660;
                chown_socket www-data:www-data;
            }
            """);

        Assert.Equal(("app.py", "application2", "/srv/x"), (a.WsgiFile, a.Callable, a.Chdir));
        Assert.Equal(_dir + "/venv", a.Virtualenv);
        Assert.Equal([_dir + "/lib", "/opt/lib"], a.PythonPath);
        Assert.Equal((3, 2, "www-data", "www-data"), (a.Processes, a.Threads, a.User, a.Group));
        Assert.Equal(["A=1", "B=2"], a.Env);
        Assert.Equal((TimeSpan.FromSeconds(30), 100L, 128L << 20, true), (a.Harakiri, a.MaxRequests, a.ReloadOnRss, a.LazyApps));
        Assert.Equal((64, 8192), (a.ListenBacklog, a.BufferSize));
        Assert.Equal((_dir + "/app.sock", "660", "www-data:www-data"), (a.Socket, a.ChmodSocket, a.ChownSocket));
    }

    [Fact]
    public void App_Home_IsTheVirtualenv_AndRackIsRack()
    {
        var a = App("app a { rack config.ru; home /srv/venv; }");

        Assert.Equal(("/srv/venv", "config.ru", true), (a.Virtualenv, a.Rack, a.IsRack));
    }

    [Fact]
    public void App_Ini_LoadsTheUwsgiIniThroughTheIniProject()
    {
        File.WriteAllText(Path.Combine(_dir, "uwsgi.ini"), "[uwsgi]\nmodule = myapp:app\nmaster = true\nprocesses = 4\nsocket = app.sock\nchmod-socket = 660\nvacuum = true\nharakiri = 20\nreload-on-rss = 64\n");

        var a = App("app a { ini uwsgi.ini; }");

        Assert.Equal(("myapp:app", 4, "660"), (a.Module, a.Processes, a.ChmodSocket));
        Assert.Equal(_dir + "/app.sock", a.Socket); // relative to the ini
        Assert.Equal(_dir + "/uwsgi.ini", a.IniFile);
        Assert.Equal(TimeSpan.FromSeconds(20), a.Harakiri);
        Assert.Equal(64L << 20, a.ReloadOnRss); // uWSGI's reload-on-rss is in megabytes
    }

    [Fact]
    public void App_DirectiveAfterIni_Overrides()
    {
        File.WriteAllText(Path.Combine(_dir, "uwsgi.ini"), "[uwsgi]\nmodule = myapp:app\nprocesses = 4\n");

        Assert.Equal(2, App("app a { ini uwsgi.ini; processes 2; }").Processes);
    }

    [Fact]
    public void App_IniMissing_LoadFailsWithEmerg()
    {
        var load = Load("app a { ini nosuch.ini; }");

        Assert.Null(load.Table);
        Assert.Contains(load.Test.Diagnostics, d => d.ToString().StartsWith($"[emerg] open() \"{_dir}/nosuch.ini\" failed", StringComparison.Ordinal));
    }

    [Fact]
    public void App_IniWithoutEntryPoint_LoadFailsWithEmerg()
    {
        File.WriteAllText(Path.Combine(_dir, "uwsgi.ini"), "[uwsgi]\nprocesses = 4\n");

        var load = Load("app a { ini uwsgi.ini; }");

        Assert.Null(load.Table);
        Assert.Contains(load.Test.Diagnostics, d => d.ToString().Contains("app \"a\" needs one of", StringComparison.Ordinal));
    }

    [Fact]
    public void AppPass_InLocation_IsTheUpstreamDirective()
    {
        var table = Load("app a { module m; }\nserver { listen 127.0.0.1:8080; location / { app_pass a; } }").Table!;

        var location = table.Listeners[0].Servers.Default.Locations.Locations[0];
        Assert.Equal(("app_pass", "a"), (location.Settings.Upstream!.Directive, location.Settings.Upstream.Target));
    }

    [Fact]
    public void AppPass_PoolBufferSize_IsTheLocationsVarsLimit()
    {
        var table = Load("""
            app a { module m; buffer_size 8k; }
            app b { module m; }
            server {
                listen 127.0.0.1:8080;
                location /a { app_pass a; }
                location /b { app_pass b; }
                location /u { uwsgi_pass unix:/run/u.sock; }
            }
            """).Table!;

        var locations = table.Listeners[0].Servers.Default.Locations.Locations;
        var limits = locations.ToDictionary(l => l.Name, l => (l.Settings.AppPass?.MaxVarsBlock ?? 0, l.Settings.Uwsgi.MaxVarsBlock));
        Assert.Equal((8192, 65535), limits["/a"]); // the pool's buffer_size, compiled once into the location
        Assert.Equal((4096, 65535), limits["/b"]); // uWSGI's default buffer-size
        Assert.Equal((0, 65535), limits["/u"]); // uwsgi_pass (no AppPass settings): only the packet's own limit
    }

    [Fact]
    public void AppSettings_SameText_Equal_ChangedProcesses_NotEqual()
    {
        const string Config = "app a { module m; pythonpath /x; env A=1; }";
        Assert.Equal(App(Config), App(Config));
        Assert.NotEqual(App(Config), App("app a { module m; pythonpath /x; env A=1; processes 2; }"));
    }
}
