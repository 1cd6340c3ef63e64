namespace NginxLite.Config.Directives;

/// <summary>
/// Where a directive may appear; the nginx contexts of <c>ngx_command_t.type</c> (NGX_MAIN_CONF, NGX_HTTP_SRV_CONF …)
/// as one bitmask, plus NginxLite's own blocks.
/// </summary>
[Flags]
public enum DirectiveContext : uint
{
    None = 0,
    Main = 1 << 0,
    Events = 1 << 1,
    Http = 1 << 2,
    Server = 1 << 3,
    Location = 1 << 4,
    ServerIf = 1 << 5,
    LocationIf = 1 << 6,
    LimitExcept = 1 << 7,
    Upstream = 1 << 8,
    Mail = 1 << 9,
    MailServer = 1 << 10,
    Stream = 1 << 11,
    StreamServer = 1 << 12,
    StreamUpstream = 1 << 13,

    /// <summary>NginxLite extension: inside <c>app NAME { … }</c>.</summary>
    App = 1 << 14,

    /// <summary>Inside a block whose lines are data, not directives (<c>types</c>, <c>map</c>, <c>geo</c> …).</summary>
    FreeForm = 1 << 15,
}
