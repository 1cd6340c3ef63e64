using NginxLite.Ini.Migration;
using Snapshooter;
using Snapshooter.Xunit;

namespace NginxLite.Ini.Tests.Migration;

/// <summary>
/// <c>nginxlite migrate</c> on representative inis: the printed config, the report and the messages are snapshots
/// (<c>__snapshots__</c>), and every printed config passes NginxLite's config checker.
/// </summary>
public class MigrateSnapshotTests
{
    public static TheoryData<string> Cases() => [.. Inis.Keys];

    private static readonly Dictionary<string, (string Ini, string? Site, Dictionary<string, string>? Extra)> Inis = new()
    {
        ["flask"] = ("""
            [uwsgi]
            module = flask_app:app
            master = true
            processes = 4
            threads = 2
            socket = /run/flask/app.sock
            chmod-socket = 660
            vacuum = true
            die-on-term = true
            """, null, null),
        ["django"] = ("""
            [uwsgi]
            project = shop
            base = /srv/%(project)
            chdir = %(base)
            module = %(project).wsgi:application
            home = %(base)/.venv
            env = DJANGO_SETTINGS_MODULE=%(project).settings
            master = true
            processes = 5
            socket = /run/uwsgi/%(project).sock
            chown-socket = www-data:www-data
            chmod-socket = 664
            vacuum = true
            static-map = /static=%(base)/static
            """, """
            upstream django {
                server unix:///run/uwsgi/shop.sock;
            }
            server {
                listen 80;
                server_name shop.example.com;
                charset utf-8;
                client_max_body_size 75M;
                location /media {
                    alias /srv/shop/media;
                }
                location / {
                    uwsgi_pass django;
                    include /etc/nginx/uwsgi_params;
                }
            }
            """, null),
        ["wsgi-file"] = ("""
            [uwsgi]
            chdir = %d
            wsgi-file = %dapp.py
            callable = application
            pythonpath = %d
            pythonpath = %dlib
            http-socket = :9090
            """, null, null),
        ["http-socket"] = ("""
            [uwsgi]
            http-socket = 127.0.0.1:8000
            http = :8080
            wsgi-file = hello.py
            workers = 2
            enable-threads = true
            single-interpreter = true
            """, null, null),
        ["socket-perms"] = ("""
            [uwsgi]
            module = myapp:app
            socket = 127.0.0.1:3031
            chmod-socket
            uid = www-data
            gid = www-data
            listen = 1024
            buffer-size = 32768
            """, """
            server {
                listen 80;
                location / {
                    include uwsgi_params;
                    uwsgi_pass 127.0.0.1:3031;
                }
                location /legacy {
                    include uwsgi_params;
                    uwsgi_pass 127.0.0.1:4000;
                }
            }
            """, null),
        ["static-map"] = ("""
            [uwsgi]
            module = app:app
            http-socket = :8000
            static-map = /static=/srv/app/static
            static-map = /favicon.ico=/srv/app/static/favicon.ico
            static-expires-type-mtime = text/css=3600
            offload-threads = 2
            """, null, null),
        ["env"] = ("""
            [uwsgi]
            module = app:app
            env = LANG=en_US.UTF-8
            env = APP_HOME=$(HOME)/app
            env = APP_ENV=$(APP_ENV)
            socket = /run/app.sock
            """, null, null),
        ["harakiri"] = ("""
            [uwsgi]
            module = app:app
            socket = /run/app.sock
            harakiri = 30
            max-requests = 5000
            reload-on-rss = 256
            lazy-apps = true
            memory-report = true
            max_requests = 6000
            process = 3
            """, null, null),
        ["placeholders"] = ("""
            [uwsgi]
            ; docs: Configuration.html, placeholders and magic variables
            my_funny_domain = uwsgi.it
            set-ph = max_customer_address_space=64
            set-placeholder = customers_base_dir=/var/www
            socket = /tmp/sockets/%(my_funny_domain).sock
            chdir = %(customers_base_dir)/%(my_funny_domain)
            limit-as = %(max_customer_address_space)
            workers = %(max_customer_address_space / 16)
            module = %n:app
            logto = /var/log/uwsgi/%n.log
            pidfile = /run/%n.pid
            """, null, null),
        ["includes"] = ("""
            [uwsgi]
            ini = :production
            ini = common.ini
            module = app:app
            socket = /run/%(name).sock
            [production]
            processes = 8
            disable-logging = true
            """, null, new() { ["common.ini"] = "[uwsgi]\nname = shop\nmaster = true\nplugins = python3\nvacuum = true\n" }),
        ["unsupported"] = ("""
            [uwsgi]
            module = app:app
            socket = /run/app.sock
            socket = /run/app2.sock
            route = ^/old redirect:/new
            spooler = /var/spool/app
            cron = -1 -1 -1 -1 -1 /usr/bin/backup
            attach-daemon = celery -A app worker
            """, null, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Migrate_RepresentativeIni_MatchesSnapshotAndPassesTheChecker(string name)
    {
        var (ini, site, extra) = Inis[name];
        using var dir = new TempDir();
        var iniPath = dir.File(name + ".ini", ini + "\n");
        foreach (var (file, text) in extra ?? [])
        {
            dir.File(file, text);
        }

        var sitePath = site is null ? null : dir.File("site.conf", site + "\n");

        // The migrated config is checked where it will live: next to NginxLite's conf/uwsgi_params.
        dir.File("uwsgi_params", File.ReadAllText(Path.Combine(RepoPaths.Conf, "uwsgi_params")));
        var result = Migrator.Migrate(iniPath, new MigrateOptions { NginxSite = sitePath, Load = IniFixture.Options(dir.Path) });

        Assert.NotNull(result.Config);
        var check = IniFixture.CheckConfig(result.Config, dir.Path);
        Assert.True(check.Ok, IniFixture.Errors(check) + "\n" + result.Config);

        string Clean(string s) => s.Replace(dir.Path, "/DIR", StringComparison.Ordinal);
        Snapshot.Match(
            new
            {
                ExitCode = result.ExitCode,
                Config = Clean(result.Config).Split('\n'),
                Messages = result.Diagnostics.Select(d => Clean(d.ToString())).ToArray(),
                Report = ReportWriter.Text([.. result.Translation.Report.Select(r => r with { Value = Clean(r.Value), Becomes = Clean(r.Becomes) })]).Split('\n'),
            },
            SnapshotNameExtension.Create(name));
    }

    [Fact]
    public void Migrate_Seed_UwsgiIni_MapsEveryLine_AndPassesTheChecker()
    {
        var seed = Path.Combine(RepoPaths.Seed, "uwsgi.ini");
        var result = Migrator.Migrate(seed, new MigrateOptions());

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Translation.Report, r => Assert.Contains(r.Outcome, new[] { "mapped", "ignored" }));
        Assert.Equal(File.ReadAllLines(seed).Count(l => l.Contains('=')), result.Translation.Report.Count);
        Assert.Contains("module myapp:app;", result.Config);
        Assert.Contains("processes 4;", result.Config);
        Assert.Contains("socket app.sock;", result.Config);
        Assert.Contains("chmod_socket 660;", result.Config);

        var check = IniFixture.CheckConfig(result.Config!, RepoPaths.Seed);
        Assert.True(check.Ok, IniFixture.Errors(check));
    }

    [Fact]
    public void Migrate_SiteWithoutAMatchingUwsgiPass_WarnsAndKeepsTheSite()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nsocket = /run/a.sock\n");
        var site = dir.File("site.conf", "server { listen 80; location / { include uwsgi_params; uwsgi_pass unix:/run/other.sock; } }\n");
        var result = Migrator.Migrate(ini, new MigrateOptions { NginxSite = site, Load = IniFixture.Options(dir.Path) });
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("no uwsgi_pass in", StringComparison.Ordinal));
        Assert.Contains("uwsgi_pass unix:/run/other.sock;", result.Config);
        Assert.Contains("include uwsgi_params;", result.Config);
        Assert.DoesNotContain("app_pass", result.Config);
    }

    [Fact]
    public void Migrate_WholeNginxConf_PutsTheAppInsideItsHttpBlock()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nsocket = 127.0.0.1:3031\npidfile = /run/app.pid\n");
        var site = dir.File("nginx.conf", """
            user www-data;
            pid /run/nginx.pid;
            events { worker_connections 768; }
            http {
                server {
                    listen 80;
                    location / { include uwsgi_params; uwsgi_pass localhost:3031; }
                }
            }
            """);
        var result = Migrator.Migrate(ini, new MigrateOptions { NginxSite = site, Load = IniFixture.Options(dir.Path) });
        var config = result.Config!;
        Assert.Equal(0, result.ExitCode);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(config, @"^http \{", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("app_pass app;", config);
        Assert.DoesNotContain("uwsgi_params", config);
        Assert.DoesNotContain("/run/app.pid", config);
        Assert.True(IniFixture.CheckConfig(config, dir.Path).Ok, config);
    }

    [Fact]
    public void Migrate_Strict_UnknownKeyIsAnError()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nprocess = 4\n");
        var lax = Migrator.Migrate(ini, new MigrateOptions { Load = IniFixture.Options(dir.Path) });
        var strict = Migrator.Migrate(ini, new MigrateOptions { Strict = true, Load = IniFixture.Options(dir.Path) });
        Assert.Equal(0, lax.ExitCode);
        Assert.Equal($"[warn] unknown uWSGI option \"process\" (did you mean \"processes\"?) in {ini}:3", Assert.Single(lax.Diagnostics).ToString());
        Assert.Equal(1, strict.ExitCode);
        Assert.Equal($"[emerg] unknown uWSGI option \"process\" (did you mean \"processes\"?) in {ini}:3", Assert.Single(strict.Diagnostics).ToString());
    }

    [Fact]
    public void Migrate_BadNumber_IsAnErrorAtItsLine()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nprocesses = four\n");
        var result = Migrator.Migrate(ini, new MigrateOptions { Load = IniFixture.Options(dir.Path) });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"[emerg] invalid value \"four\" of \"processes\": a number is expected in {ini}:3", Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Report_Json_HasOneObjectPerKey()
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", "[uwsgi]\nmodule = a:b\nmaster = 1\nroute = x y\n");
        var result = Migrator.Migrate(ini, new MigrateOptions { Load = IniFixture.Options(dir.Path) });
        using var json = System.Text.Json.JsonDocument.Parse(ReportWriter.Json(result.Translation.Report));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["mapped", "ignored", "unsupported"], rows.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(4, rows[2].GetProperty("line").GetInt32());
        Assert.Equal(2, result.ExitCode);
    }
}
