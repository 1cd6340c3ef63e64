using NginxLite.Ini.Expansion;
using NginxLite.Ini.Loading;
using NginxLite.Ini.Migration;

namespace NginxLite.Ini.Tests.Differential;

/// <summary>
/// NginxLite's ini reader against uWSGI itself: the same keys, in the same order, with the same expanded values as
/// <c>uwsgi --show-config</c> prints; and the keys NginxLite calls unknown are the ones <c>uwsgi --strict</c> rejects.
/// </summary>
public class UwsgiDifferentialTests
{
    private static readonly Dictionary<string, string[]> Cases = new()
    {
        ["placeholders"] = ["""
            [uwsgi]
            my_funny_domain = uwsgi.it
            set-ph = max_customer_address_space=64
            set-placeholder = customers_base_dir=/var/www
            socket = /tmp/sockets/%(my_funny_domain).sock
            chdir = %(customers_base_dir)/%(my_funny_domain)
            limit-as = %(max_customer_address_space)
            """],
        ["math"] = ["""
            [uwsgi]
            foo = 17
            bar = 30
            total = %(foo + bar + 3 * 2)
            inc = %(foo ++)
            cat = %(foo bar ++)
            bar = %(foo bar)
            again = %(bar)
            div = %(bar / 0)
            """],
        ["magic"] = ["""
            [uwsgi]
            d = %d
            n = %n
            e = %e
            p = %p
            s = %s
            c = %c
            v = %v
            h = %h
            k = %k
            u = %u
            U = %U
            g = %g
            G = %G
            x = %x
            pct = 100%% %%n %q % x
            D = %D %N %P %C %S %E
            x = %x %X %O
            zero = %0
            """],
        ["env-and-file"] = ["""
            [uwsgi]
            home = $(HOME)/venv
            missing = [$(NGINXLITE_SURELY_UNSET)]
            name = @(name.txt)
            """, "name.txt", "node7\n"],
        ["includes-and-sections"] = ["""
            [uwsgi]
            socket = :3031
            ini = common.ini
            ini = :extra
            module = app
            [extra]
            processes = 3
            [uwsgi]
            master = true
            """, "common.ini", "[uwsgi]\nfrom = %n %s\nlazy-apps\n"],
        ["logic"] = ["""
            [uwsgi]
            for = a b c
              socket = /tmp/%(_).sock
            endfor =
            if-env = HOME
              print = home is %(_)
            endif =
            if-not-env = NGINXLITE_SURELY_UNSET
              print = unset
            endif =
            if-exists = /etc/passwd
              print = exists %(_)
            end =
            if-dir = /nonexistent
              print = never
            else =
              print = no else in 2.0.21: dropped with the block
            endif =
            if-dir = /
              print = root
            else =
              print = kept with the block
            endif =
            for-times = 2
              print = time %(_)
            endfor =
            if-opt = socket
              print = opt %(_)
            endif =
            """],
        ["whitespace"] = ["[uwsgi]\r\n  module\t=\tapp:app  \r\nbare\r\n; c\n# c\n  = novalue\nkey with space = v = w\n"],
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Expansion_MatchesUwsgiShowConfig(string name)
    {
        using var dir = new TempDir();
        var parts = Cases[name];
        var ini = dir.File(name + ".ini", parts[0] + "\n");
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            dir.File(parts[i], parts[i + 1]);
        }

        var expected = UwsgiShowConfig.Run(ini, dir.Path);
        Assert.True(expected.Count > 0, UwsgiShowConfig.Output);
        Assert.Equal(expected, Ours(ini, dir.Path));
    }

    /// <summary>
    /// Corpus inis that are safe to hand to uWSGI and that it configures with only the python3 plugin: no key that
    /// executes, daemonizes, logs elsewhere, mounts, changes user, includes files the snippet lacks, or needs a plugin
    /// (routing actions, stats pushers, TLS) without which uWSGI stops before printing its configuration.
    /// </summary>
    public static TheoryData<string> SafeCorpusFiles()
    {
        var root = Path.Combine(RepoPaths.Corpus, "uwsgi");
        string[] riskyKeys = ["exec", "daemon", "emperor", "log", "hook", "mount", "call", "pid", "ini", "inherit", "include", "xml",
            "yaml", "yml", "json", "for-readline", "for-glob", "cap", "unshare", "namespace", "jail", "chroot", "uid", "gid", "fork",
            "vassal", "legion", "cache", "spooler", "sharedarea", "cron", "route", "final-route", "error-route", "response-route",
            "stats-push", "https", "ssl", "offload", "collect-header", "import", "resolve", "subscribe", "plugin", "need-", "exit",
            "attach", "mule", "worker-exec", "binary", "privileged", "unprivileged", "dlopen", "print-sym", "setns", "master-fifo", "touch", "fs-", "reload",
            "alarm", "metric", "carbon", "rrdtool", "zabbix", "signal", "timer", "logic", "blacklist", "whitelist", "declare-option",
            "strict", "fastrouter", "rawrouter", "sslrouter", "zerg", "tuntap", "pty", "gateway", "cgi", "..."];
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.ini", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var keys = NginxLite.Ini.Syntax.IniGrammar.Parse(text).Where(l => l.Kind == NginxLite.Ini.Syntax.IniLineKind.Entry).Select(l => l.Key).ToList();
            var safe = keys.Count > 0
                && !keys.Any(k => riskyKeys.Any(r => k.StartsWith(r, StringComparison.Ordinal)))
                && !text.Contains("@(", StringComparison.Ordinal)
                && !text.Contains("%i", StringComparison.Ordinal) && !text.Contains("%j", StringComparison.Ordinal)
                && !text.Contains("%V", StringComparison.Ordinal);
            if (safe)
            {
                data.Add(Path.GetRelativePath(root, file));
            }
        }

        return data;
    }

    [Fact]
    public void SafeCorpus_IsLargeEnoughToMeanSomething() => Assert.True(SafeCorpusFiles().Count >= 60, $"{SafeCorpusFiles().Count} files");

    [Theory]
    [MemberData(nameof(SafeCorpusFiles))]
    public void CorpusIni_ExpandsLikeUwsgi(string file)
    {
        var full = Path.Combine(RepoPaths.Corpus, "uwsgi", file);
        using var dir = new TempDir();
        var copy = dir.File(Path.GetFileName(file), File.ReadAllText(full));
        var expected = UwsgiShowConfig.Run(copy, dir.Path);
        Assert.Equal(expected, Ours(copy, dir.Path));
    }

    [Theory]
    [InlineData("process = 4", true)]
    [InlineData("max-request = 10", true)]
    [InlineData("max_requests = 10", true)]
    [InlineData("processes = 4", false)]
    [InlineData("chmod-socket = 660", false)]
    [InlineData("virtualenv = /srv/venv", false)]
    [InlineData("venv = /srv/venv", false)]
    [InlineData("harakiri = 30", false)]
    public void UnknownKeys_AreTheOnesUwsgiStrictRejects(string line, bool unknown)
    {
        using var dir = new TempDir();
        var ini = dir.File("app.ini", $"[uwsgi]\n{line}\n");
        UwsgiShowConfig.Run(ini, dir.Path, strict: true);
        var key = line[..line.IndexOf(' ')];
        var uwsgiRejects = UwsgiShowConfig.Output!.Contains($"[strict-mode] unknown config directive: {key}", StringComparison.Ordinal);
        Assert.Equal(unknown, uwsgiRejects);

        var translation = IniTranslator.Translate(IniLoader.Load(ini, IniFixture.Options(dir.Path)), strict: true);
        var ours = translation.Diagnostics.Any(d => d.Message.Contains($"\"{key}\"", StringComparison.Ordinal));
        Assert.Equal(unknown, ours);
    }

    private static List<(string, string)> Ours(string ini, string cwd)
    {
        var host = HostFacts.Current() with { WorkingDirectory = cwd };
        var doc = IniLoader.Load(ini, new IniLoadOptions { Host = host });
        return [.. doc.Entries.Select(e => (e.Key, e.Value))];
    }
}
