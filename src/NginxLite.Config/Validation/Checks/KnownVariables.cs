namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// The variables nginx 1.22.1 (Debian build, no dynamic modules loaded) knows without a definition:
/// ngx_http_variables.c and the built-in modules' tables, checked one by one against the real binary.
/// </summary>
internal static class KnownVariables
{
    private static readonly string[] Prefixes =
    [
        "http_", "sent_http_", "sent_trailer_", "cookie_", "arg_",
        "upstream_http_", "upstream_trailer_", "upstream_cookie_",
    ];

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        // ngx_http_variables.c
        "http_host", "http_user_agent", "http_referer", "http_via", "http_x_forwarded_for", "http_cookie",
        "content_length", "content_type", "host", "binary_remote_addr", "remote_addr", "remote_port",
        "proxy_protocol_addr", "proxy_protocol_port", "proxy_protocol_server_addr", "proxy_protocol_server_port",
        "server_addr", "server_port", "server_protocol", "scheme", "https", "request_uri", "uri", "document_uri",
        "request", "document_root", "realpath_root", "query_string", "args", "is_args", "request_filename",
        "server_name", "request_method", "remote_user", "bytes_sent", "body_bytes_sent", "pipe",
        "request_completion", "request_body", "request_body_file", "request_length", "request_time", "request_id",
        "status", "limit_rate", "connection", "connection_requests", "connection_time", "nginx_version",
        "hostname", "pid", "msec", "time_iso8601", "time_local",
        "tcpinfo_rtt", "tcpinfo_rttvar", "tcpinfo_snd_cwnd", "tcpinfo_rcv_space",

        // ngx_http_upstream.c
        "upstream_addr", "upstream_status", "upstream_connect_time", "upstream_header_time",
        "upstream_response_time", "upstream_response_length", "upstream_bytes_received", "upstream_bytes_sent",
        "upstream_cache_status", "upstream_cache_last_modified", "upstream_cache_etag",

        // proxy, fastcgi, realip, ssl, v2, gzip, limit_req/limit_conn, stub_status, userid, secure_link,
        // referer, browser, ssi, slice
        "proxy_host", "proxy_port", "proxy_add_x_forwarded_for", "proxy_internal_body_length", "proxy_internal_chunked",
        "fastcgi_script_name", "fastcgi_path_info",
        "realip_remote_addr", "realip_remote_port",
        "ssl_protocol", "ssl_cipher", "ssl_ciphers", "ssl_curve", "ssl_curves", "ssl_session_id",
        "ssl_session_reused", "ssl_early_data", "ssl_server_name", "ssl_client_cert", "ssl_client_raw_cert",
        "ssl_client_escaped_cert", "ssl_client_s_dn", "ssl_client_i_dn", "ssl_client_s_dn_legacy",
        "ssl_client_i_dn_legacy", "ssl_client_serial", "ssl_client_fingerprint", "ssl_client_verify",
        "ssl_client_v_start", "ssl_client_v_end", "ssl_client_v_remain",
        "http2", "gzip_ratio", "limit_req_status", "limit_conn_status",
        "connections_active", "connections_reading", "connections_writing", "connections_waiting",
        "uid_got", "uid_set", "uid_reset", "secure_link", "secure_link_expires", "invalid_referer",
        "modern_browser", "ancient_browser", "msie", "date_local", "date_gmt", "slice_range",
    };

    /// <summary>Built-ins a <c>set</c> may overwrite (NGX_HTTP_VAR_CHANGEABLE); defining any other built-in is "the duplicate … variable".</summary>
    private static readonly HashSet<string> Changeable = new(StringComparer.Ordinal)
    {
        "args", "limit_rate", "proxy_host", "proxy_port", "uid_reset", "invalid_referer",
    };

    public static bool IsBuiltIn(string name) => Names.Contains(name);

    public static bool IsKnown(string name) =>
        Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    public static bool IsFixedBuiltIn(string name) => Names.Contains(name) && !Changeable.Contains(name);
}
