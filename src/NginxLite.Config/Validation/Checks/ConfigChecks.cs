namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// Every semantic check, in the order nginx runs the work behind them. Checks that report at the http block's end
/// all use the same ordinal, so this order (kept by the stable sort) is nginx's order among them: ngx_http_block
/// runs each module's init_main_conf and server merge (core, upstream, referer, then ssl, then proxy, fastcgi, uwsgi, scgi), then builds the location
/// trees, then initialises variables, then optimises the listen/server tables. After the whole file come the
/// cycle's checks (no "events", shared memory zones).
/// </summary>
public static class ConfigChecks
{
    public static IReadOnlyList<IConfigCheck> All { get; } =
    [
        // While reading directives (each at its own ordinal).
        new LoadModuleCheck(),
        new UserCheck(),
        new GroupCheck(),
        new DuplicateUpstreamCheck(),
        new ListenCheck(),
        new IfConditionCheck(),
        new VariableSyntaxCheck(),
        new DuplicateVariableCheck(),
        new LogFormatCheck(),
        new ProxyPassCheck(),
        new UpstreamServerCheck(),
        new SslDirectiveCheck(),
        new MimeTypesCheck(),

        // When http { } closes, in ngx_http_block's order.
        new CoreServerMergeCheck(),
        new ImplicitUpstreamCheck(),
        new RefererMergeCheck(),
        new SslCertificateCheck(),
        UpstreamSslCheck.Proxy(),
        UpstreamSslCheck.Uwsgi(),
        new UpstreamMergeCheck(),
        new AppBlockCheck(),
        new DuplicateLocationCheck(),
        new SslListenCertificateCheck(),
        new UnknownVariableCheck(),
        new ServerNameConflictCheck(),

        // After the whole configuration (ngx_init_cycle).
        new EventsSectionCheck(),
        new SharedMemoryZoneCheck(),
    ];
}
