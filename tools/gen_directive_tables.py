#!/usr/bin/env python3
"""Generates src/NginxLite.Config/Directives/{Core,Http,Mail,Stream}/*Directives.cs — one table per nginx module —
from the oss_124 rows of shared/corpus/directives/nginx-directives.tsv (contexts, argument rule per variant),
tools/nginx122-probe.tsv (which directives real nginx 1.22.1 rejects when repeated: not Multiple), and the
module/support/check data below. The checked-in tables are this script's output, byte for byte
(tests/NginxLite.Config.Tests/Directives/DirectiveGeneratorTests.cs runs it into a temp directory and compares):
never hand-edit a generated file; change the data here, re-run, and commit the script and its output together.
  python3 tools/gen_directive_tables.py                # rewrite src/NginxLite.Config/Directives
  python3 tools/gen_directive_tables.py --out DIR      # write the same files under DIR instead
The corpus: --corpus DIR, else $NGINXLITE_CORPUS, else ../shared/corpus beside the repository (as the tests)."""
import argparse, os, re, collections

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
_args = argparse.ArgumentParser(description='Generate the nginx directive tables of NginxLite.Config.')
_args.add_argument('--out', default=os.path.join(ROOT, 'src/NginxLite.Config/Directives'),
                   help='the Directives folder to write (default: src/NginxLite.Config/Directives)')
_args.add_argument('--corpus', default=os.environ.get('NGINXLITE_CORPUS') or os.path.join(ROOT, '../shared/corpus'),
                   help='the shared corpus (default: $NGINXLITE_CORPUS, else ../shared/corpus)')
_opts = _args.parse_args()
TSV = os.path.join(_opts.corpus, 'directives/nginx-directives.tsv')
PROBE = os.path.join(ROOT, 'tools/nginx122-probe.tsv')
OUT = _opts.out

CTX = {'main': 'Main', 'direct': 'Main', 'events': 'Events', 'http': 'Http', 'http>server': 'Server',
       'http>location': 'Location', 'http>server>if': 'ServerIf', 'http>location>if': 'LocationIf',
       'http>location>limit_except': 'LimitExcept', 'http>upstream': 'Upstream', 'mail': 'Mail',
       'mail>server': 'MailServer', 'stream': 'Stream', 'stream>server': 'StreamServer',
       'stream>upstream': 'StreamUpstream'}
CTX_ORDER = list(dict.fromkeys(CTX.values()))
ARGS = {'0': 'NoArgs', '1': 'Take1', '2': 'Take2', '3': 'Take3', '0 or 1': 'Take01', '0 or 1 or 2': 'Take012',
        '1 or 2': 'Take12', '1 or 2 or 3': 'Take123', '1 or 2 or 3 or 4': 'Take1234', '2 or 3': 'Take23',
        '>=1': 'OneOrMore', '>=2': 'TwoOrMore', 'on|off': 'Flag'}

def arg_rule(s):
    parts = s.replace(' ;', '').split(' +')
    r = [ARGS[parts[0].strip()]]
    if 'block' in parts[1:]: r.append('Block')
    if '(expr)' in parts[1:]: r.append('Expression')
    return ' | '.join(r)

# ---- which module declares each directive (by family: main/events/http/mail/stream) -------------------------
def module_of(name, fam, ctxs):
    if fam == 'main':
        return {'include': 'ngx_conf_module', 'error_log': 'ngx_errlog_module', 'events': 'ngx_events_module',
                'http': 'ngx_http_module', 'mail': 'ngx_mail_module', 'stream': 'ngx_stream_module',
                'google_perftools_profiles': 'ngx_google_perftools_module', 'ssl_engine': 'ngx_openssl_module',
                }.get(name, 'ngx_core_module')
    if fam == 'events':
        return 'ngx_event_core_module'
    if fam == 'mail':
        if name.startswith('auth_http'): return 'ngx_mail_auth_http_module'
        if name.startswith('proxy') or name == 'xclient': return 'ngx_mail_proxy_module'
        for p in ('imap', 'pop3', 'smtp'):
            if name.startswith(p): return f'ngx_mail_{p}_module'
        if name.startswith('ssl') or name == 'starttls': return 'ngx_mail_ssl_module'
        if name == 'set_real_ip_from': return 'ngx_mail_realip_module'
        return 'ngx_mail_core_module'
    if fam == 'stream':
        ups = ctxs == ['stream>upstream']
        if name in ('hash',): return 'ngx_stream_upstream_hash_module'
        if name in ('least_conn', 'random', 'zone'): return f'ngx_stream_upstream_{name}_module'
        if name in ('upstream',) or (name == 'server' and ups): return 'ngx_stream_upstream_module'
        if name in ('allow', 'deny'): return 'ngx_stream_access_module'
        if name in ('access_log', 'log_format', 'open_log_file_cache'): return 'ngx_stream_log_module'
        if name.startswith('limit_conn'): return 'ngx_stream_limit_conn_module'
        if name.startswith('map'): return 'ngx_stream_map_module'
        if name.startswith('geoip'): return 'ngx_stream_geoip_module'
        if name.startswith('proxy'): return 'ngx_stream_proxy_module'
        if name == 'ssl_preread': return 'ngx_stream_ssl_preread_module'
        if name.startswith('ssl'): return 'ngx_stream_ssl_module'
        simple = {'geo': 'geo', 'return': 'return', 'set': 'set', 'set_real_ip_from': 'realip',
                  'split_clients': 'split_clients'}
        if name in simple: return f'ngx_stream_{simple[name]}_module'
        return 'ngx_stream_core_module'
    # http
    ups = ctxs == ['http>upstream']
    if ups and name in ('keepalive', 'keepalive_requests', 'keepalive_time', 'keepalive_timeout'):
        return 'ngx_http_upstream_keepalive_module'
    if name == 'hash': return 'ngx_http_upstream_hash_module'
    if name in ('ip_hash', 'least_conn', 'random', 'zone'): return f'ngx_http_upstream_{name}_module'
    if name == 'upstream' or (name == 'server' and ups): return 'ngx_http_upstream_module'
    prefixes = [('fastcgi_', 'fastcgi'), ('uwsgi_', 'uwsgi'), ('scgi_', 'scgi'), ('grpc_', 'grpc'),
                ('memcached_', 'memcached'), ('proxy_', 'proxy'), ('gzip_static', 'gzip_static'),
                ('gzip', 'gzip_filter'), ('gunzip', 'gunzip_filter'), ('http2_', 'v2'), ('ssl', 'ssl'),
                ('limit_conn', 'limit_conn'), ('limit_req', 'limit_req'), ('geoip_', 'geoip'),
                ('image_filter', 'image_filter'), ('xslt_', 'xslt'), ('perl', 'perl'), ('mp4', 'mp4'),
                ('userid', 'userid_filter'), ('secure_link', 'secure_link'), ('ssi', 'ssi_filter'),
                ('sub_filter', 'sub_filter'), ('autoindex', 'autoindex'), ('auth_basic', 'auth_basic'),
                ('auth_request', 'auth_request'), ('mirror', 'mirror'), ('map', 'map'),
                ('ancient_browser', 'browser'), ('modern_browser', 'browser'), ('referer_hash', 'referer'),
                ('add_after_body', 'addition_filter'), ('add_before_body', 'addition_filter'),
                ('addition_types', 'addition_filter'), ('real_ip', 'realip'), ('dav_', 'dav'),
                ('charset', 'charset_filter')]
    for p, m in prefixes:
        if name.startswith(p): return f'ngx_http_{m}_module'
    single = {'allow': 'access', 'deny': 'access', 'add_header': 'headers_filter', 'add_trailer': 'headers_filter',
              'expires': 'headers_filter', 'access_log': 'log', 'log_format': 'log', 'open_log_file_cache': 'log',
              'break': 'rewrite', 'if': 'rewrite', 'return': 'rewrite', 'rewrite': 'rewrite', 'rewrite_log': 'rewrite',
              'set': 'rewrite', 'uninitialized_variable_warn': 'rewrite', 'index': 'index', 'empty_gif': 'empty_gif',
              'flv': 'flv', 'geo': 'geo', 'gunzip': 'gunzip_filter', 'random_index': 'random_index',
              'set_real_ip_from': 'realip', 'valid_referers': 'referer', 'slice': 'slice_filter',
              'split_clients': 'split_clients', 'stub_status': 'stub_status', 'xml_entities': 'xslt',
              'override_charset': 'charset_filter', 'source_charset': 'charset_filter',
              'create_full_put_path': 'dav', 'min_delete_depth': 'dav'}
    if name in single: return f'ngx_http_{single[name]}_module'
    return 'ngx_http_core_module'

# ---- what NginxLite does with it ---------------------------------------------------------------------------
S, I, U = 'Supported', 'Ignored', 'Unsupported'
MODULE_SUPPORT = {
    'ngx_core_module': (S, 'issue 3'), 'ngx_conf_module': (S, 'issue 3'), 'ngx_errlog_module': (S, 'issue 3'),
    'ngx_events_module': (S, 'issue 3'), 'ngx_http_module': (S, 'issue 3'), 'ngx_event_core_module': (S, 'issue 3'),
    'ngx_openssl_module': (U, 'OpenSSL engines are not reachable from .NET TLS; use a key file or a PKCS#11-free setup'),
    'ngx_google_perftools_module': (U, 'profile with dotnet-trace / dotnet-counters instead'),
    'ngx_http_core_module': (S, 'issue 3'), 'ngx_http_access_module': (S, 'issue 3'),
    'ngx_http_auth_basic_module': (S, 'issue 3'), 'ngx_http_auth_request_module': (S, 'issue 3 (planned)'),
    'ngx_http_autoindex_module': (S, 'issue 3'), 'ngx_http_index_module': (S, 'issue 3'),
    'ngx_http_headers_filter_module': (S, 'issue 3'), 'ngx_http_log_module': (S, 'issue 3'),
    'ngx_http_map_module': (S, 'issue 3'), 'ngx_http_geo_module': (S, 'issue 3'),
    'ngx_http_split_clients_module': (S, 'issue 3'), 'ngx_http_rewrite_module': (S, 'issue 3'),
    'ngx_http_realip_module': (S, 'issue 3'), 'ngx_http_ssl_module': (S, 'issue 3 (Kestrel TLS)'),
    'ngx_http_v2_module': (I, 'Kestrel negotiates and tunes HTTP/2 itself (issue 3)'),
    'ngx_http_gzip_filter_module': (S, 'issue 3 (planned)'), 'ngx_http_gzip_static_module': (S, 'issue 3 (planned)'),
    'ngx_http_gunzip_filter_module': (S, 'issue 3 (planned)'), 'ngx_http_stub_status_module': (S, 'issue 3'),
    'ngx_http_charset_filter_module': (S, 'issue 3 (planned)'), 'ngx_http_limit_req_module': (S, 'issue 3 (planned)'),
    'ngx_http_limit_conn_module': (S, 'issue 3 (planned)'), 'ngx_http_empty_gif_module': (S, 'issue 3'),
    'ngx_http_referer_module': (S, 'issue 3 (planned)'), 'ngx_http_sub_filter_module': (S, 'issue 3 (planned)'),
    'ngx_http_upstream_module': (S, 'issue 4'), 'ngx_http_upstream_hash_module': (S, 'issue 4'),
    'ngx_http_upstream_ip_hash_module': (S, 'issue 4'), 'ngx_http_upstream_least_conn_module': (S, 'issue 4'),
    'ngx_http_upstream_random_module': (S, 'issue 4'), 'ngx_http_upstream_keepalive_module': (S, 'issue 4'),
    'ngx_http_upstream_zone_module': (I, 'upstream state lives in one process: no shared memory zone is needed'),
    'ngx_http_proxy_module': (S, 'issue 4'), 'ngx_http_fastcgi_module': (S, 'issue 4'),
    'ngx_http_uwsgi_module': (S, 'issue 4'), 'ngx_http_scgi_module': (S, 'issue 4 (planned)'),
    'ngx_http_grpc_module': (U, 'gRPC proxying is not implemented; use proxy_pass to an HTTP/2-capable upstream'),
    'ngx_http_memcached_module': (U, 'memcached responses are not served; let the application read memcached'),
    'ngx_http_perl_module': (U, 'embedded Perl is not available; move the logic into map/if or the application'),
    'ngx_http_xslt_module': (U, 'XSLT filtering is not available; transform in the application'),
    'ngx_http_image_filter_module': (U, 'image transformation is not available; resize in the application or a CDN'),
    'ngx_http_geoip_module': (U, 'GeoIP (legacy) is not available; set a header from a CDN or use geo with CIDR lists'),
    'ngx_http_mp4_module': (U, 'MP4 pseudo-streaming is not available; serve the file as static content'),
    'ngx_http_flv_module': (U, 'FLV pseudo-streaming is not available; serve the file as static content'),
    'ngx_http_dav_module': (U, 'WebDAV methods are not implemented; use a WebDAV application behind proxy_pass'),
    'ngx_http_ssi_filter_module': (U, 'server-side includes are not processed; render in the application'),
    'ngx_http_slice_filter_module': (U, 'range slicing is only useful with a response cache, which is not implemented'),
    'ngx_http_secure_link_module': (U, 'secure links are not checked; verify the token in the application'),
    'ngx_http_userid_filter_module': (U, 'userid cookies are not issued; set the cookie in the application'),
    'ngx_http_addition_filter_module': (U, 'body addition is not available; render it in the application'),
    'ngx_http_mirror_module': (U, 'request mirroring is not implemented'),
    'ngx_http_random_index_module': (U, 'random index is not implemented; use index'),
    'ngx_http_browser_module': (U, 'browser detection is not implemented; use map on $http_user_agent'),
    'ngx_mail_module': (U, 'the mail (IMAP/POP3/SMTP) proxy is not implemented; keep nginx or run a dedicated mail proxy for it'),
    'ngx_stream_module': (U, 'TCP/UDP (stream) proxying is not implemented; run nginx or HAProxy for it'),
}
for m in ('core', 'auth_http', 'proxy', 'imap', 'pop3', 'smtp', 'ssl', 'realip'):
    MODULE_SUPPORT[f'ngx_mail_{m}_module'] = (U, 'the mail (IMAP/POP3/SMTP) proxy is not implemented')

IGNORED = {
    # core
    'worker_processes': 'Kestrel serves every connection from one process and the .NET thread pool',
    'worker_cpu_affinity': 'the .NET thread pool schedules threads; no per-worker CPU binding',
    'worker_priority': 'set the service priority with systemd (Nice=) instead',
    'worker_rlimit_core': 'set limits with systemd (LimitCORE=) instead',
    'worker_rlimit_nofile': 'set limits with systemd (LimitNOFILE=) instead',
    'working_directory': 'core dumps are configured by the runtime (DOTNET_DbgEnableMiniDump)',
    'daemon': 'runs in the foreground under systemd or a container supervisor',
    'master_process': 'there is one process; reload swaps the route table in place',
    'lock_file': 'no accept mutex between processes, so no lock file',
    'pcre_jit': '.NET compiles regexes itself',
    'timer_resolution': 'the .NET runtime keeps its own clock',
    'thread_pool': 'file I/O runs on the .NET thread pool',
    'debug_points': 'attach a .NET debugger or use dotnet-dump instead',
    'load_module': 'modules NginxLite implements are built in (no-op); any other module is an error, a warning with --ignore-modules',
    'env': 'the environment is passed through unchanged (issue 3)',
    # events
    'accept_mutex': 'one process accepts; there is no thundering herd to serialise',
    'accept_mutex_delay': 'one process accepts; there is no accept mutex',
    'multi_accept': 'Kestrel accepts connections as fast as they arrive',
    'use': 'Kestrel uses epoll through .NET sockets',
    'worker_aio_requests': 'no Linux AIO; file I/O runs on the .NET thread pool',
    'debug_connection': 'per-client debug logging is not implemented',
    # http core tuning
    'sendfile': 'Kestrel writes files through its own pipeline',
    'sendfile_max_chunk': 'Kestrel writes files through its own pipeline',
    'tcp_nopush': 'Kestrel manages socket options',
    'tcp_nodelay': 'Kestrel sets TCP_NODELAY itself',
    'aio': 'file I/O runs on the .NET thread pool', 'aio_write': 'file I/O runs on the .NET thread pool',
    'directio': 'the OS page cache is always used', 'directio_alignment': 'the OS page cache is always used',
    'open_file_cache': 'file metadata is read per request; the OS caches it',
    'open_file_cache_errors': 'file metadata is read per request; the OS caches it',
    'open_file_cache_min_uses': 'file metadata is read per request; the OS caches it',
    'open_file_cache_valid': 'file metadata is read per request; the OS caches it',
    'open_log_file_cache': 'log files stay open for the life of the config',
    'output_buffers': 'Kestrel sizes its output pipe buffers', 'postpone_output': 'Kestrel sizes its output pipe buffers',
    'read_ahead': 'the OS decides read-ahead', 'send_lowat': 'Kestrel manages socket options',
    'connection_pool_size': '.NET manages memory per connection', 'request_pool_size': '.NET manages memory per request',
    # A body that must be buffered is held as ngx_http_read_client_request_body does (Handlers/Body/ClientBodyBuffer).
    'client_body_buffer_size': 'fixed at 16k: bodies stream, or are buffered in memory up to 16k, then in a temp file',
    'client_body_in_single_buffer': 'bodies stream through pipelines',
    'client_body_temp_path': 'a buffered body beyond 16k goes to a delete-on-close file in $TMPDIR',
    'lingering_close': 'Kestrel drains and closes connections itself', 'lingering_time': 'Kestrel drains and closes connections itself',
    'lingering_timeout': 'Kestrel drains and closes connections itself',
    'reset_timedout_connection': 'Kestrel aborts timed-out connections itself',
    'keepalive_disable': 'keep-alive is not disabled for old browsers',
    'msie_padding': 'no padding for old MSIE', 'msie_refresh': 'no refresh pages for old MSIE',
    'subrequest_output_buffer_size': 'no subrequests buffer into memory',
    'resolver': '.NET uses the system resolver', 'resolver_timeout': '.NET uses the system resolver',
    'types_hash_max_size': 'lookups use .NET dictionaries', 'types_hash_bucket_size': 'lookups use .NET dictionaries',
    'server_names_hash_max_size': 'lookups use .NET dictionaries', 'server_names_hash_bucket_size': 'lookups use .NET dictionaries',
    'variables_hash_max_size': 'lookups use .NET dictionaries', 'variables_hash_bucket_size': 'lookups use .NET dictionaries',
    'map_hash_max_size': 'lookups use .NET dictionaries', 'map_hash_bucket_size': 'lookups use .NET dictionaries',
    'proxy_headers_hash_max_size': 'lookups use .NET dictionaries', 'proxy_headers_hash_bucket_size': 'lookups use .NET dictionaries',
    'referer_hash_max_size': 'lookups use .NET dictionaries', 'referer_hash_bucket_size': 'lookups use .NET dictionaries',
    'ssl_buffer_size': 'Kestrel sizes TLS records', 'ssl_engine': None,
    'gzip_buffers': 'compression streams through pipelines', 'gunzip_buffers': 'decompression streams through pipelines',
    'ssl_session_cache': 'TLS session resumption is managed by the OS TLS stack',
    'ssl_session_tickets': 'TLS session resumption is managed by the OS TLS stack',
    'ssl_session_ticket_key': 'TLS session resumption is managed by the OS TLS stack',
    'ssl_session_timeout': 'TLS session resumption is managed by the OS TLS stack',
    'ssl_early_data': '0-RTT is not enabled', 'ssl_dhparam': 'the OS TLS stack chooses DH parameters',
    'ssl_ecdh_curve': 'the OS TLS stack chooses curves', 'ssl_prefer_server_ciphers': 'the OS TLS stack orders ciphers',
    'ssl_stapling': 'OCSP stapling is done by the OS TLS stack when it can',
    'ssl_stapling_verify': 'OCSP stapling is done by the OS TLS stack when it can',
    'ssl_stapling_file': 'OCSP stapling is done by the OS TLS stack when it can',
    'ssl_stapling_responder': 'OCSP stapling is done by the OS TLS stack when it can',
    'ssl_ocsp_cache': 'OCSP responses are cached by the OS TLS stack',
    'ssl_conf_command': 'no raw OpenSSL commands; Kestrel exposes its own TLS options',
    'ssl_ciphers': 'OpenSSL cipher strings have no .NET equivalent; the system OpenSSL defaults apply (docs/config-frontend.md)',
    # ngx_http_proxy_module's TLS settings .NET SslStream has no counterpart for (docs/upstreams.md).
    'proxy_ssl_ciphers': 'OpenSSL cipher strings have no .NET equivalent; the system OpenSSL defaults apply (docs/upstreams.md)',
    'proxy_ssl_conf_command': 'no OpenSSL configuration commands through .NET SslStream; the system OpenSSL defaults apply',
    'proxy_ssl_crl': 'upstream certificates are not checked against a CRL (docs/upstreams.md)',
    'proxy_ssl_password_file': 'encrypted client keys are not supported: use an unencrypted proxy_ssl_certificate_key',
    # Their ngx_http_uwsgi_module twins for uwsgi_pass suwsgi://, the same TLS client (docs/fastcgi-uwsgi.md).
    'uwsgi_ssl_ciphers': 'OpenSSL cipher strings have no .NET equivalent; the system OpenSSL defaults apply (docs/upstreams.md)',
    'uwsgi_ssl_conf_command': 'no OpenSSL configuration commands through .NET SslStream; the system OpenSSL defaults apply',
    'uwsgi_ssl_crl': 'upstream certificates are not checked against a CRL (docs/upstreams.md)',
    'uwsgi_ssl_password_file': 'encrypted client keys are not supported: use an unencrypted uwsgi_ssl_certificate_key',
    'log_subrequest': 'no subrequests are logged', 'uninitialized_variable_warn': 'no such warnings are logged',
}
SUFFIX_IGNORED = [
    (r'_(buffers|buffer_size|busy_buffers_size)$', 'responses stream through pipelines; buffer sizes are managed'),
    (r'_(temp_path|temp_file_write_size|max_temp_file_size)$', 'responses stream through pipelines; no temp files'),
    (r'_send_lowat$', 'Kestrel manages socket options'),
    (r'_socket_keepalive$', 'upstream sockets use the OS keepalive defaults'),
    (r'^(proxy|fastcgi|uwsgi|scgi)_cache', 'no response cache yet: every request goes to the upstream (issue 4)'),
    (r'^(proxy|fastcgi|uwsgi|scgi)_(no_cache)$', 'no response cache yet: every request goes to the upstream (issue 4)'),
    (r'^(proxy|fastcgi|uwsgi|scgi)_(limit_rate)$', 'upstream reads are not rate limited'),
    (r'^(proxy|fastcgi|uwsgi|scgi)_(force_ranges)$', 'ranges are passed to the upstream'),
]
UNSUPPORTED = {
    'proxy_store': 'storing upstream responses to disk is not implemented',
    'proxy_store_access': 'storing upstream responses to disk is not implemented',
    'ssl_engine': None,
}
for p in ('fastcgi', 'uwsgi', 'scgi'):
    UNSUPPORTED[f'{p}_store'] = UNSUPPORTED['proxy_store']
    UNSUPPORTED[f'{p}_store_access'] = UNSUPPORTED['proxy_store']

# ngx_http_ssl_module directives -t checks but the server does not apply yet (docs/config-frontend.md, "TLS listeners").
SSL_PENDING = 'issue 3: checked by -t; not applied when serving yet (docs/config-frontend.md)'
SSL_NOTES = {
    'ssl': 'issue 3: deprecated; `ssl on` in an address\'s default server makes its socket TLS, as `listen … ssl` does',
    'ssl_certificate': 'issue 3: Kestrel TLS on `listen … ssl`, the server chosen by SNI; the first pair only',
    'ssl_certificate_key': 'issue 3: Kestrel TLS on `listen … ssl`; unencrypted PEM keys',
    'ssl_protocols': 'issue 3: mapped to .NET SslProtocols; SSLv2/SSLv3 are never offered (docs/config-frontend.md)',
    'ssl_verify_client': 'issue 3: checked by -t; any value but off refuses to start or reload (no client certificates yet)',
    'ssl_client_certificate': SSL_PENDING, 'ssl_verify_depth': SSL_PENDING, 'ssl_crl': SSL_PENDING,
    'ssl_trusted_certificate': SSL_PENDING, 'ssl_ocsp': SSL_PENDING, 'ssl_ocsp_responder': SSL_PENDING,
    'ssl_password_file': 'issue 3: checked by -t; encrypted keys cannot be loaded yet (docs/config-frontend.md)',
    'ssl_reject_handshake': SSL_PENDING,
}
# Supported although a name rule above (IGNORED, SUFFIX_IGNORED) would ignore them: the server the Host selects
# applies its header buffer sizes (414/494, RouteTableCompiler, Server/Http/RequestHead.cs).
CORE_NOTES = {'client_header_buffer_size': 'issue 3', 'large_client_header_buffers': 'issue 3'}
# Per module: directive -> note of a supported row, before any ignored/unsupported rule.
SUPPORTED_NOTES = {'ngx_http_ssl_module': SSL_NOTES, 'ngx_http_core_module': CORE_NOTES}

def support(name, module):
    if name in SUPPORTED_NOTES.get(module, {}):
        return (MODULE_SUPPORT[module][0], SUPPORTED_NOTES[module][name])
    if module.startswith(('ngx_http_', 'ngx_core', 'ngx_event')) or module in ('ngx_conf_module',):
        base = MODULE_SUPPORT[module]
        if base[0] != U:
            if name in UNSUPPORTED and UNSUPPORTED[name]: return (U, UNSUPPORTED[name])
            if name in IGNORED and IGNORED[name]: return (I, IGNORED[name])
            for rx, why in SUFFIX_IGNORED:
                if re.search(rx, name): return (I, why)
        return base
    if module.startswith('ngx_stream_') and module not in MODULE_SUPPORT:
        return (U, 'stream (TCP/UDP) proxying is not implemented; run nginx or HAProxy for it')
    return MODULE_SUPPORT[module]

# ---- may it repeat in one block? --------------------------------------------------------------------------
probe_dup, probe_ok = set(), set()
for line in open(PROBE, encoding='utf-8').read().splitlines()[1:]:
    n, ctx, once, twice = (line.split('\t') + [''] * 4)[:4]
    if 'directive is duplicate' in twice: probe_dup.add(n)
    elif twice == 'ok': probe_ok.add(n)
# Arrays whose nginx setters only reject an exact repeat (e.g. `proxy_redirect off` twice) or that the probe
# could not exercise; real configs repeat them with different values.
MULTIPLE = {'proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags', 'limit_req',
            'limit_conn', 'ssl_certificate', 'ssl_certificate_key', 'load_module', 'valid_referers', 'log_format',
            'listen', 'limit_conn_zone', 'limit_req_zone', 'proxy_cache_path', 'fastcgi_cache_path',
            'uwsgi_cache_path', 'scgi_cache_path', 'thread_pool', 'server', 'location', 'if', 'upstream', 'map',
            'geo', 'split_clients', 'types', 'charset_map', 'imap_capabilities', 'pop3_capabilities',
            'smtp_capabilities', 'auth_http_header', 'server_name', 'ssl_conf_command', 'proxy_ssl_conf_command',
            'access_log', 'error_log', 'allow', 'deny', 'set_real_ip_from', 'set', 'include', 'env', 'perl_modules',
            'perl_require', 'perl_set', 'xslt_param', 'xslt_string_param', 'xslt_stylesheet', 'geoip_proxy',
            'fastcgi_split_path_info'}

def multiple(name):
    return name in MULTIPLE or name in probe_ok

# ---- value checks, as nginx's setters read the arguments ---------------------------------------------------
ENUMS = {
    'server_tokens': ['on', 'off', 'build'], 'satisfy': ['all', 'any'],
    'client_body_in_file_only': ['off', 'on', 'clean'], 'lingering_close': ['off', 'on', 'always'],
    'proxy_http_version': ['1.0', '1.1'], 'gzip_http_version': ['1.0', '1.1'],
    'autoindex_format': ['html', 'xml', 'json', 'jsonp'], 'if_modified_since': ['off', 'exact', 'before'],
    'ssl_verify_client': ['on', 'off', 'optional', 'optional_no_ca'],
    'limit_conn_log_level': ['info', 'notice', 'warn', 'error'], 'limit_req_log_level': ['info', 'notice', 'warn', 'error'],
}
BITMASKS = {
    'keepalive_disable': ['none', 'msie6', 'safari'],
    'gzip_proxied': ['off', 'expired', 'no-cache', 'no-store', 'private', 'no_last_modified', 'no_etag', 'auth', 'any'],
    'ssl_protocols': ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
}
NUMBERS = {'keepalive_requests', 'gzip_comp_level', 'max_ranges', 'worker_rlimit_nofile', 'worker_aio_requests',
           'ssl_verify_depth', 'open_file_cache_min_uses', 'min_delete_depth', 'http2_max_concurrent_streams',
           'http2_max_requests', 'http2_max_concurrent_pushes', 'server_names_hash_max_size',
           'server_names_hash_bucket_size', 'types_hash_max_size', 'types_hash_bucket_size',
           'variables_hash_max_size', 'variables_hash_bucket_size', 'map_hash_max_size', 'map_hash_bucket_size',
           'proxy_headers_hash_max_size', 'proxy_headers_hash_bucket_size'}
SIZES = {'client_max_body_size', 'limit_rate', 'client_body_buffer_size', 'client_header_buffer_size', 'sendfile_max_chunk',
         'postpone_output', 'directio_alignment', 'read_ahead', 'send_lowat', 'gzip_min_length', 'ssl_buffer_size',
         'subrequest_output_buffer_size', 'http2_chunk_size', 'http2_body_preread_size', 'connection_pool_size',
         'request_pool_size', 'mp4_buffer_size', 'mp4_max_buffer_size', 'ssi_min_file_chunk', 'limit_rate_after'}
TIMES = {'send_timeout', 'keepalive_timeout', 'keepalive_time', 'lingering_time', 'lingering_timeout',
         'client_body_timeout', 'client_header_timeout', 'resolver_timeout', 'auth_delay', 'accept_mutex_delay',
         'timer_resolution', 'worker_shutdown_timeout', 'open_file_cache_valid', 'ssl_session_timeout',
         'http2_idle_timeout', 'http2_recv_timeout'}

PROXY_NEXT = ['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404',
              'http_429', 'updating', 'non_idempotent', 'off']
CGI_NEXT = [v for v in PROXY_NEXT if v not in ('http_502', 'http_504')]  # fastcgi, uwsgi and scgi masks
IGNORE_HEADERS = ['X-Accel-Redirect', 'X-Accel-Expires', 'X-Accel-Limit-Rate', 'X-Accel-Buffering', 'X-Accel-Charset',
                  'Expires', 'Cache-Control', 'Set-Cookie', 'Vary']

def upstream_bitmask(name):
    m = re.match(r'^(proxy|grpc|fastcgi|uwsgi|scgi)_(next_upstream|cache_use_stale|ignore_headers|cache_methods|ssl_protocols)$', name)
    if not m: return None
    mod, what = m.groups()
    if what in ('next_upstream', 'cache_use_stale'): return PROXY_NEXT if mod in ('proxy', 'grpc') else CGI_NEXT
    if what == 'ignore_headers': return IGNORE_HEADERS
    if what == 'cache_methods': return ['GET', 'HEAD', 'POST']
    return BITMASKS['ssl_protocols']

NUMBER_BOUNDS = {'gzip_comp_level': (1, 9), 'limit_req_status': (400, 599), 'limit_conn_status': (400, 599), 'uwsgi_modifier1': (0, 255), 'uwsgi_modifier2': (0, 255)}

# Directives whose nginx setter is their own function (ngx_http_core_error_page, ngx_http_rewrite_return …).
OWN_SETTERS = {'error_page': 'ErrorPage', 'return': 'Return', 'expires': 'Expires', 'keepalive_timeout': 'KeepaliveTimeout',
               'limit_except': 'LimitExcept', 'allow': 'AccessRule', 'deny': 'AccessRule', 'index': 'Index',
               'add_header': 'AddHeader', 'add_trailer': 'AddHeader', 'directio': 'Directio',
               'open_file_cache': 'OpenFileCache', 'access_log': 'AccessLog', 'root': 'Root', 'alias': 'Root',
               'try_files': 'TryFiles', 'set': 'Set', 'fastcgi_param': 'Param', 'uwsgi_param': 'Param',
               'scgi_param': 'Param', 'proxy_cookie_domain': 'CookieRewrite', 'proxy_cookie_path': 'CookieRewrite',
               'proxy_cookie_flags': 'CookieFlags',
               'proxy_redirect': 'ProxyRedirect', 'limit_req_zone': 'LimitZone', 'limit_conn_zone': 'LimitZone',
               'limit_req': 'LimitReq', 'limit_conn': 'LimitConn', 'ssl_session_cache': 'SslSessionCache',
               'set_real_ip_from': 'RealIpFrom', 'log_format': 'LogFormat', 'gzip_disable': 'GzipDisable',
               'connection_pool_size': 'PoolSize', 'request_pool_size': 'PoolSize', 'valid_referers': 'ValidReferers'}
UPSTREAM_SETTERS = {'keepalive': 'UpstreamKeepalive', 'keepalive_timeout': 'Time', 'keepalive_time': 'Time',
                    'keepalive_requests': 'Number', 'hash': 'UpstreamHash', 'random': 'UpstreamRandom', 'zone': 'UpstreamZone'}
OFFSETS = {'client_max_body_size'}  # ngx_conf_set_off_slot: ngx_parse_offset also takes "g"
SECONDS = {'ssl_session_timeout', 'open_file_cache_valid'}  # ngx_conf_set_sec_slot: no "ms"

def check(name, fam, rule, spec_ctx):
    if rule.startswith('on|off'): return 'ValueCheck.Flag'
    if fam != 'http' and fam not in ('main', 'events'): return None
    if name in ENUMS: return 'ValueCheck.OneOf(' + ', '.join(f'"{v}"' for v in ENUMS[name]) + ')'
    if name in BITMASKS: return 'ValueCheck.AnyOf(' + ', '.join(f'"{v}"' for v in BITMASKS[name]) + ')'
    if upstream_bitmask(name): return 'ValueCheck.AnyOf(' + ', '.join(f'"{v}"' for v in upstream_bitmask(name)) + ')'
    if name in NUMBER_BOUNDS: return 'ValueCheck.NumberBetween({}, {})'.format(*NUMBER_BOUNDS[name])
    if name in NUMBERS or re.search(r'^(proxy|uwsgi|grpc)_ssl_verify_depth$', name): return 'ValueCheck.Number'
    if re.search(r'_temp_path$', name) and fam == 'http': return 'ValueCheck.TempPath'
    if spec_ctx == ['Upstream'] and fam == 'http' and name in UPSTREAM_SETTERS: return 'ValueCheck.' + UPSTREAM_SETTERS[name]
    if re.search(r'^(proxy|fastcgi|uwsgi|scgi)_cache_valid$', name): return 'ValueCheck.CacheValid'
    if name in OWN_SETTERS and fam == 'http' and 'Upstream' not in spec_ctx: return 'ValueCheck.' + OWN_SETTERS[name]
    if name in OFFSETS or re.search(r'^(proxy|fastcgi|uwsgi|scgi)_max_temp_file_size$', name): return 'ValueCheck.Offset'
    if name in SECONDS: return 'ValueCheck.Seconds'
    if name in SIZES or re.search(r'^(proxy|fastcgi|uwsgi|scgi)_(buffer_size|busy_buffers_size|temp_file_write_size|limit_rate)$', name):
        return 'ValueCheck.Size'
    if re.search(r'^(proxy|fastcgi|uwsgi|scgi|grpc|memcached)_(buffers)$', name) or name in ('large_client_header_buffers', 'gzip_buffers', 'output_buffers', 'gunzip_buffers'):
        return 'ValueCheck.Buffers'
    if name in TIMES and 'Upstream' not in spec_ctx: return 'ValueCheck.Time'
    if re.search(r'^(proxy|fastcgi|uwsgi|scgi|grpc|memcached)_(connect|read|send|next_upstream)_timeout$', name):
        return 'ValueCheck.Time'
    if re.search(r'^(proxy|fastcgi|uwsgi|scgi)_next_upstream_tries$', name): return 'ValueCheck.Number'
    if name == 'error_log': return 'ValueCheck.ErrorLog'
    if name == 'use': return 'ValueCheck.EventType'
    if name == 'worker_connections': return 'ValueCheck.WorkerConnections'
    if name == 'worker_processes': return 'ValueCheck.WorkerProcesses'
    if name == 'worker_priority': return 'ValueCheck.WorkerPriority'
    if name == 'location': return 'ValueCheck.Location'
    if name == 'rewrite': return 'ValueCheck.Rewrite'
    if name == 'if': return 'ValueCheck.If'
    if name == 'server_name': return 'ValueCheck.ServerName'
    return None

BLOCK_CONTEXT = {('events', 'main'): 'Events', ('http', 'main'): 'Http', ('mail', 'main'): 'Mail',
                 ('stream', 'main'): 'Stream', ('server', 'http'): 'Server', ('location', 'http'): 'Location',
                 ('upstream', 'http'): 'Upstream', ('limit_except', 'http'): 'LimitExcept',
                 ('server', 'mail'): 'MailServer', ('server', 'stream'): 'StreamServer',
                 ('upstream', 'stream'): 'StreamUpstream'}
FREE_FORM = {'types', 'map', 'geo', 'split_clients', 'charset_map', 'match'}

def class_name(module):
    core = {'ngx_core_module': 'Core', 'ngx_conf_module': 'Conf', 'ngx_errlog_module': 'Errlog',
            'ngx_events_module': 'Events', 'ngx_event_core_module': 'EventCore', 'ngx_http_module': 'Http',
            'ngx_mail_module': 'Mail', 'ngx_stream_module': 'Stream', 'ngx_openssl_module': 'OpenSsl',
            'ngx_google_perftools_module': 'GooglePerftools'}
    if module in core: return core[module] + 'Directives'
    parts = module[len('ngx_'):-len('_module')].split('_')
    fix = {'v2': 'V2', 'ssl': 'Ssl', 'fastcgi': 'FastCgi', 'scgi': 'Scgi', 'uwsgi': 'Uwsgi', 'gzip': 'Gzip',
           'geoip': 'GeoIp', 'ip': 'Ip', 'mp4': 'Mp4', 'pop3': 'Pop3', 'userid': 'UserId', 'ssi': 'Ssi',
           'realip': 'RealIp', 'imap': 'Imap', 'smtp': 'Smtp', 'xslt': 'Xslt', 'grpc': 'Grpc'}
    return ''.join(fix.get(p, p.capitalize()) for p in parts) + 'Directives'

def folder(module):
    if module.startswith('ngx_http_') : return 'HttpModules'
    if module.startswith('ngx_mail_'): return 'MailModules'
    if module.startswith('ngx_stream_'): return 'StreamModules'
    return 'CoreModules'

rows = collections.defaultdict(list)
for line in open(TSV, encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if f[0] != 'oss_124': continue
    name, ctxs, rule = f[1], f[3].split(','), f[4]
    fam = 'main' if ctxs[0] in ('main', 'direct') else ctxs[0].split('>')[0]
    module = module_of(name, fam, ctxs)
    cs = sorted({CTX[c] for c in ctxs}, key=CTX_ORDER.index)
    sup, note = support(name, module)
    props = []
    if multiple(name): props.append('Multiple = true')
    if '+block' in rule:
        if name in FREE_FORM: props.append('BlockContext = FreeForm')
        elif name == 'if': props.append('BlockContext = ' + ('LocationIf' if 'Location' in cs else 'ServerIf'))
        else:
            bc = BLOCK_CONTEXT[(name, fam)]
            props.append('BlockContext = ' + ('DirectiveContext.Stream' if bc == 'Stream' else bc))
    c = check(name, fam, rule, cs)
    if c: props.append('Check = ' + c)
    # System.IO.Stream is in scope through implicit usings.
    rows[module].append((name, ' | '.join('DirectiveContext.Stream' if c == 'Stream' else c for c in cs), arg_rule(rule), sup, note, props))

HEADER = '''// Generated by tools/gen_directive_tables.py from the oss_124 rows of nginx-directives.tsv; edit the script, not this file.
using System.Collections.Immutable;
using NginxLite.Config.Directives.ValueChecks;
using static NginxLite.Config.Directives.ArgumentRule;
using static NginxLite.Config.Directives.DirectiveContext;
using static NginxLite.Config.Directives.DirectiveSupport;
'''
written = []
for module, specs in sorted(rows.items()):
    cls, fold = class_name(module), folder(module)
    os.makedirs(os.path.join(OUT, fold), exist_ok=True)
    out = [HEADER, f'namespace NginxLite.Config.Directives.{fold};\n',
           f'/// <summary>Directives of nginx\'s <c>{module}</c>.</summary>',
           f'public static class {cls}\n{{', f'    public const string Module = "{module}";\n',
           '    public static ImmutableArray<DirectiveSpec> Specs { get; } =', '    [']
    for name, cs, ar, sup, note, props in sorted(specs, key=lambda r: r[0]):
        n = 'null' if note is None else '"' + note.replace('"', '\\"') + '"'
        line = f'        new("{name}", Module, {cs}, {ar}, {sup}, {n})'
        if props: line += ' { ' + ', '.join(props) + ' }'
        out.append(line + ',')
    out += ['    ];', '}', '']
    open(os.path.join(OUT, fold, cls + '.cs'), 'w', encoding='utf-8', newline='\n').write('\n'.join(out))
    written.append((fold, cls))

idx = [HEADER.split('\n')[0], 'using System.Collections.Immutable;'] + [f'using NginxLite.Config.Directives.{f};' for f in ('CoreModules', 'HttpModules', 'MailModules', 'StreamModules')] + ['', 'namespace NginxLite.Config.Directives;', '',
       '/// <summary>Every directive table, nginx\'s modules in name order then NginxLite\'s own.</summary>',
       'public static class DirectiveTables', '{',
       '    public static ImmutableArray<ImmutableArray<DirectiveSpec>> All { get; } =', '    [']
for fold, cls in written:
    idx.append(f'        {cls}.Specs,')
idx += ['        NginxLiteDirectives.Specs,', '    ];', '}', '']
open(os.path.join(OUT, 'DirectiveTables.cs'), 'w', encoding='utf-8', newline='\n').write('\n'.join(idx))
print(len(written), 'tables', sum(len(v) for v in rows.values()), 'specs')
