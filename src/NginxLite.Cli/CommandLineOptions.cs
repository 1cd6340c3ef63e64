namespace NginxLite.Cli;

/// <summary>nginx's command-line options (see <c>nginx -h</c>), parsed the way ngx_get_options does.</summary>
internal sealed record CommandLineOptions
{
    public bool Help { get; set; }
    public bool Version { get; set; }
    public bool VersionAndConfigure { get; set; }
    public bool Test { get; set; }
    public bool TestAndDump { get; set; }
    public bool Quiet { get; set; }
    public string? Prefix { get; set; }
    public string? ConfigFile { get; set; }
    public string? ErrorLog { get; set; }
    public string? GlobalDirectives { get; set; }
    public string? Signal { get; set; }

    /// <summary><c>--ini FILE[:section]</c>: a uWSGI ini instead of an nginx config (with <c>-t</c>: check it).</summary>
    public string? IniFile { get; set; }

    /// <summary><c>--json</c> with <c>-T</c>: the dump is crossplane's JSON payload, printed even when the test fails.</summary>
    public bool Json { get; set; }

    /// <summary><c>--ignore-modules</c>: <c>load_module</c> of a module NginxLite lacks warns instead of failing.</summary>
    public bool IgnoreModules { get; set; }

    /// <summary><c>--strict</c>: unknown uWSGI keys are errors; with <c>-t</c>, security lint findings are [emerg] and fail the test.</summary>
    public bool Strict { get; set; }

    /// <summary><c>--origin-domains=a.com,b.org</c>: the security lint's trusted origin/referrer domains.</summary>
    public IReadOnlyList<string> OriginDomains { get; set; } = [];

    /// <summary><c>--origin-https-only</c>: the security lint also flags origin regexes that accept http://.</summary>
    public bool OriginHttpsOnly { get; set; }
}
