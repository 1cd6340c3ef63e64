using System.Collections.Immutable;
using NginxLite.Config.Directives.ValueChecks;
using static NginxLite.Config.Directives.ArgumentRule;
using static NginxLite.Config.Directives.DirectiveContext;
using static NginxLite.Config.Directives.DirectiveSupport;

namespace NginxLite.Config.Directives;

/// <summary>
/// NginxLite's own directives: <c>app NAME { … }</c> pools (the uWSGI part, issue 6), <c>app_pass</c>,
/// CGI locations (issue 7), and <c>group</c> next to <c>user</c>. Same row shape as nginx's modules.
/// </summary>
public static class NginxLiteDirectives
{
    public const string Module = "nginxlite";

    private const string Apps = "issue 6, docs/apps.md";
    private const string Cgi = "issue 7";

    /// <summary><c>processes</c>/<c>threads</c>: a count of 1 to 1024 (a pool of more is a typo, not a deployment).</summary>
    private static readonly DirectiveValueCheck WorkerCount = (d, scope) =>
    {
        if (!NginxValue.TryParseDigits(d.Arg(0), out var n))
        {
            scope.Emerg(d, $"\"{d.Name}\" directive invalid number");
        }
        else if (n is < 1 or > 1024)
        {
            scope.Emerg(d, $"invalid value \"{d.Arg(0)}\" in \"{d.Name}\" directive, it must be 1 to 1024");
        }
    };

    public static ImmutableArray<DirectiveSpec> Specs { get; } =
    [
        new("app", Module, Http, Take1 | Block, Supported, Apps) { Multiple = true, BlockContext = App },
        new("app_pass", Module, Location | LocationIf, Take1, Supported, Apps),
        new("cgi", Module, Http | Server | Location, Flag, Supported, Cgi) { Check = ValueCheck.Flag },
        new("cgi_user", Module, Http | Server | Location, Take12, Supported, Cgi),
        new("cgi_timeout", Module, Http | Server | Location, Take1, Supported, Cgi) { Check = ValueCheck.Time },
        new("cgi_param", Module, Http | Server | Location, Take2, Supported, Cgi) { Multiple = true },
        new("cgi_interpreter", Module, Http | Server | Location, Take2, Supported, Cgi) { Multiple = true },
        new("cgi_allow_root_owned", Module, Http | Server | Location, Flag, Supported, Cgi) { Check = ValueCheck.Flag },
        // How many CGI scripts may run at once before requests queue (docs/cgi.md, "Concurrency cap").
        new("cgi_max_procs", Module, Http | Server | Location, Take1, Supported, Cgi) { Check = ValueCheck.NumberBetween(1, 4096) },
        // Python scripts forked from an interpreter that is already up instead of a fresh python3 (docs/cgi.md,
        // "Python preload fork server"); nginx's enum wording for anything but python/off.
        new("cgi_preload", Module, Http | Server | Location, Take1, Supported, Cgi) { Check = ValueCheck.OneOf("python", "off") },

        // Mode and owner of `listen unix:` sockets (uWSGI's chmod-socket/chown-socket), set before the first request.
        new("chmod_socket", Module, Main | Http, Take1, Supported, Cgi),
        new("chown_socket", Module, Main | Http, Take1, Supported, Cgi),

        // The group of `user`: nginx takes it as `user USER GROUP`; kept for uWSGI-style configs.
        new("group", Module, Main, Take1, Supported, Cgi),

        // A JSON status page (per-server and per-upstream counters), next to stub_status; docs/operations.md.
        new("nginxlite_status", Module, Server | Location, Take1, Supported, "issue 9") { Check = StatusFormatCheck.Json },

        // An HTML dashboard of the same counters with live charts; ?format=json on its URL is nginxlite_status json.
        new("status_page", Module, Location, Flag, Supported, "issue 9, docs/operations.md") { Check = ValueCheck.Flag },

        // Inside app { … }: the uWSGI options that matter (see uwsgi/OPTION_COUNTS.tsv).
        new("module", Module, App, Take1, Supported, Apps),
        new("wsgi_file", Module, App, Take1, Supported, Apps),
        new("callable", Module, App, Take1, Supported, Apps),
        new("rack", Module, App, Take1, Supported, Apps),
        new("chdir", Module, App, Take1, Supported, Apps),
        new("virtualenv", Module, App, Take1, Supported, Apps),
        new("home", Module, App, Take1, Supported, Apps),
        new("pythonpath", Module, App, Take1, Supported, Apps) { Multiple = true },
        new("processes", Module, App, Take1, Supported, Apps) { Check = WorkerCount },
        new("threads", Module, App, Take1, Supported, Apps) { Check = WorkerCount },
        new("user", Module, App, Take12, Supported, Apps),
        new("group", Module, App, Take1, Supported, Apps),
        new("env", Module, App, Take1, Supported, Apps) { Multiple = true },
        new("harakiri", Module, App, Take1, Supported, Apps) { Check = ValueCheck.Time },
        new("max_requests", Module, App, Take1, Supported, Apps) { Check = ValueCheck.Number },
        new("reload_on_rss", Module, App, Take1, Supported, Apps) { Check = ValueCheck.Size },
        new("lazy_apps", Module, App, Flag, Supported, Apps) { Check = ValueCheck.Flag },
        new("listen_backlog", Module, App, Take1, Supported, Apps) { Check = ValueCheck.Number },
        new("buffer_size", Module, App, Take1, Supported, Apps) { Check = ValueCheck.Size },
        new("socket", Module, App, Take1, Supported, Apps),
        new("chmod_socket", Module, App, Take1, Supported, Apps),
        new("chown_socket", Module, App, Take1, Supported, Apps),
        new("ini", Module, App, Take1, Supported, Apps),
    ];
}
