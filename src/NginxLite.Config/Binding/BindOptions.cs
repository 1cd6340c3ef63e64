namespace NginxLite.Config.Binding;

/// <summary>What the environment checks of <c>nginx -t</c> may look at.</summary>
public sealed record BindOptions
{
    /// <summary>The prefix (<c>-p</c>); relative paths in directives other than include resolve against it.</summary>
    public string Prefix { get; init; } = "/usr/share/nginxlite/";

    /// <summary>nginx's conf prefix, the directory of the main config file: ssl_certificate, proxy_ssl_* and the other
    /// TLS files resolve against it (ngx_conf_full_name with conf_prefix). Null: <see cref="Prefix"/> + <c>conf/</c>.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Check the environment as <c>nginx -t</c> does: users and groups exist, certificate files exist.</summary>
    public bool CheckEnvironment { get; init; } = true;

    /// <summary>Say <c>[warn] "sendfile" directive is ignored by NginxLite: …</c> for each ignored directive.
    /// Off by default: ignored directives are documented no-ops (docs/directives.md), and <c>-t</c> must print
    /// what nginx prints for a valid config. On for a "what will NginxLite skip" review.</summary>
    public bool WarnIgnored { get; init; }

    /// <summary><c>--ignore-modules</c>: a <c>load_module</c> of a module NginxLite lacks is a warning, not an error
    /// (<see cref="Validation.Checks.LoadModuleCheck"/>), so Debian's modules-enabled/ includes do not stop a drop-in.</summary>
    public bool IgnoreModules { get; init; }

    /// <summary>Names resolved without DNS, like /etc/hosts entries (name → address); consulted first.</summary>
    public IReadOnlyDictionary<string, string>? Hosts { get; init; }
}
