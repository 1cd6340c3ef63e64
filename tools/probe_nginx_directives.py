#!/usr/bin/env python3
"""Probe the installed nginx (Debian 1.22.1) for each oss_124 http/main/events directive:
is it known, and is a second occurrence in the same block "is duplicate"?
Writes tools/nginx122-probe.tsv: name, family, known(yes/no/?), repeat(dup/ok/?), first message.
Run once; gen_directive_tables.py reads the result. Stream/mail are not loadable in Debian's build."""
import os, subprocess, sys, tempfile, re

TSV = os.path.join(os.path.dirname(__file__), '../../shared/corpus/directives/nginx-directives.tsv')
OUT = os.path.join(os.path.dirname(__file__), 'nginx122-probe.tsv')

SAMPLE = {
    'access_log': '/tmp/a.log', 'add_header': 'X-A b', 'add_trailer': 'X-A b', 'alias': '/tmp/',
    'allow': 'all', 'deny': 'all', 'auth_basic': 'x', 'auth_basic_user_file': '/tmp/htpasswd',
    'auth_request': '/auth', 'auth_request_set': '$x $y', 'charset': 'utf-8', 'client_body_in_file_only': 'on',
    'default_type': 'text/plain', 'error_log': '/tmp/e.log', 'error_page': '404 /x', 'expires': '1h',
    'index': 'index.html', 'limit_conn': 'z 1', 'limit_req': 'zone=r', 'log_format': 'f $x',
    'proxy_pass': 'http://127.0.0.1', 'fastcgi_pass': '127.0.0.1:9000', 'uwsgi_pass': '127.0.0.1:9000',
    'scgi_pass': '127.0.0.1:9000', 'grpc_pass': '127.0.0.1:9000', 'memcached_pass': '127.0.0.1:9000',
    'proxy_redirect': 'off', 'return': '200', 'rewrite': '^ /x', 'root': '/tmp', 'set': '$a b',
    'try_files': '$uri =404', 'user': 'root', 'pid': '/tmp/x.pid', 'env': 'A', 'worker_processes': '1',
    'satisfy': 'all', 'server_tokens': 'on', 'aio': 'off', 'directio': 'off', 'resolver': '127.0.0.1',
    'open_file_cache': 'off', 'keepalive_timeout': '10', 'disable_symlinks': 'off', 'lingering_close': 'on',
    'keepalive_disable': 'none', 'ssl_protocols': 'TLSv1.2', 'ssl_session_cache': 'none', 'userid': 'off',
    'proxy_cache': 'off', 'fastcgi_cache': 'off', 'uwsgi_cache': 'off', 'scgi_cache': 'off',
    'proxy_store': 'off', 'fastcgi_store': 'off', 'uwsgi_store': 'off', 'scgi_store': 'off',
    'proxy_http_version': '1.1', 'proxy_method': 'GET', 'gzip_http_version': '1.1', 'gzip_proxied': 'any',
    'gzip_comp_level': '1', 'gzip_static': 'on', 'gunzip_buffers': '4 8k', 'gzip_disable': 'msie6',
    'ssl_verify_client': 'off', 'ssl_verify_depth': '1', 'use': 'epoll', 'worker_connections': '10',
    'debug_connection': '127.0.0.1', 'accept_mutex_delay': '1s', 'worker_aio_requests': '10',
    'timer_resolution': '1s', 'worker_priority': '0', 'worker_cpu_affinity': 'auto', 'thread_pool': 'p threads=1',
    'debug_points': 'stop', 'working_directory': '/tmp', 'lock_file': '/tmp/l', 'worker_rlimit_core': '1m',
    'worker_rlimit_nofile': '100', 'worker_shutdown_timeout': '1s', 'load_module': '/nonexistent.so',
    'google_perftools_profiles': '/tmp/p', 'ssl_engine': 'x', 'include': '/dev/null',
    'proxy_set_header': 'A b', 'fastcgi_param': 'A b', 'uwsgi_param': 'A b', 'scgi_param': 'A b',
    'grpc_set_header': 'A b', 'proxy_cookie_domain': 'off', 'proxy_cookie_path': 'off', 'proxy_cookie_flags': 'off',
    'sub_filter': 'a b', 'real_ip_header': 'X-Real-IP', 'set_real_ip_from': '127.0.0.1', 'valid_referers': 'none',
    'ancient_browser': 'x', 'modern_browser': 'msie 5.0', 'modern_browser_value': '1', 'ancient_browser_value': '1',
    'image_filter': 'off', 'xslt_stylesheet': '/tmp/x.xsl', 'xslt_param': 'a b', 'xslt_string_param': 'a b',
    'perl': 'x', 'perl_set': '$x y', 'perl_modules': '/tmp', 'perl_require': 'x', 'geoip_country': '/tmp/x',
    'geoip_city': '/tmp/x', 'geoip_org': '/tmp/x', 'geoip_proxy': '127.0.0.1', 'dav_methods': 'off',
    'dav_access': 'user:rw', 'autoindex_format': 'html', 'mirror': 'off', 'slice': '0', 'ssi_types': 'text/x',
    'secure_link': '$x', 'secure_link_md5': '$x', 'secure_link_secret': 'x', 'proxy_bind': 'off',
    'fastcgi_bind': 'off', 'uwsgi_bind': 'off', 'scgi_bind': 'off', 'grpc_bind': 'off', 'memcached_bind': 'off',
    'large_client_header_buffers': '4 8k', 'output_buffers': '1 32k', 'postpone_output': '1k',
    'client_body_temp_path': '/tmp/cb', 'proxy_temp_path': '/tmp/pt', 'fastcgi_temp_path': '/tmp/ft',
    'uwsgi_temp_path': '/tmp/ut', 'scgi_temp_path': '/tmp/st', 'limit_rate': '1k', 'limit_rate_after': '1k',
    'max_ranges': '1', 'if_modified_since': 'off', 'merge_slashes': 'on', 'send_lowat': '0', 'read_ahead': '0',
    'sendfile_max_chunk': '1m', 'limit_conn_log_level': 'info', 'limit_req_log_level': 'info',
    'limit_conn_status': '503', 'limit_req_status': '503', 'min_delete_depth': '1', 'uwsgi_modifier1': '0',
    'uwsgi_modifier2': '0', 'userid_name': 'uid', 'userid_domain': 'none', 'userid_path': '/', 'userid_expires': 'off',
    'userid_p3p': 'none', 'userid_mark': 'off', 'userid_service': '1', 'userid_flags': 'off', 'ssi_value_length': '256',
    'ssl_buffer_size': '16k', 'http2_push': 'off', 'http2_chunk_size': '8k', 'charset_types': 'text/x',
    'source_charset': 'utf-8', 'addition_types': 'text/x', 'sub_filter_types': 'text/x', 'xslt_types': 'text/x',
    'gzip_types': 'text/x', 'xml_entities': '/tmp/x.dtd', 'mp4_max_buffer_size': '1m', 'mp4_buffer_size': '1m',
    'image_filter_buffer': '1m', 'image_filter_jpeg_quality': '75', 'image_filter_webp_quality': '75',
    'image_filter_sharpen': '0', 'random': '', 'hash': '$x', 'keepalive': '1', 'zone': 'z 64k',
    'ssl_session_ticket_key': '/tmp/k', 'ssl_stapling_file': '/tmp/x', 'ssl_stapling_responder': 'http://x',
    'ssl_ocsp': 'off', 'ssl_ocsp_cache': 'off', 'ssl_ocsp_responder': 'http://x', 'ssl_early_data': 'off',
    'ssl_dhparam': '/tmp/x', 'ssl_certificate': '/tmp/x', 'ssl_certificate_key': '/tmp/x',
    'ssl_client_certificate': '/tmp/x', 'ssl_trusted_certificate': '/tmp/x', 'ssl_crl': '/tmp/x',
    'ssl_password_file': '/tmp/x', 'ssl_conf_command': 'a b', 'ssl_ecdh_curve': 'auto', 'ssl_ciphers': 'HIGH',
    'ssl_session_timeout': '1m', 'ssl_reject_handshake': 'off', 'etag': 'on', 'flv': '', 'mp4': '',
    'empty_gif': '', 'stub_status': '', 'internal': '', 'break': '', 'ip_hash': '', 'least_conn': '',
    'random_index': 'on', 'open_file_cache_min_uses': '1', 'open_file_cache_valid': '1s', 'open_log_file_cache': 'off',
    'rewrite_log': 'on', 'log_not_found': 'on', 'auth_delay': '1s', 'sub_filter_once': 'on', 'msie_padding': 'on',
    'directio_alignment': '512', 'connection_pool_size': '512', 'request_pool_size': '4k',
    'client_header_buffer_size': '1k', 'types_hash_max_size': '1024', 'types_hash_bucket_size': '64',
    'server_names_hash_max_size': '512', 'server_names_hash_bucket_size': '64', 'variables_hash_max_size': '1024',
    'variables_hash_bucket_size': '64', 'map_hash_max_size': '1024', 'map_hash_bucket_size': '64',
    'referer_hash_max_size': '1024', 'referer_hash_bucket_size': '64', 'proxy_headers_hash_max_size': '512',
    'proxy_headers_hash_bucket_size': '64', 'http2_max_concurrent_streams': '10', 'http2_max_concurrent_pushes': '10',
    'http2_max_requests': '10', 'keepalive_requests': '10', 'limit_conn_zone': '$x zone=c:1m',
    'limit_req_zone': '$x zone=r:1m rate=1r/s', 'proxy_cache_path': '/tmp/pc keys_zone=pc:1m',
    'fastcgi_cache_path': '/tmp/fc keys_zone=fc:1m', 'uwsgi_cache_path': '/tmp/uc keys_zone=uc:1m',
    'scgi_cache_path': '/tmp/sc keys_zone=sc:1m', 'split_clients': None, 'server_name': 'a',
    'fastcgi_split_path_info': '^(.+)$', 'fastcgi_index': 'i', 'fastcgi_catch_stderr': 'x',
    'proxy_set_body': 'x', 'proxy_store_access': 'user:rw', 'fastcgi_store_access': 'user:rw',
    'uwsgi_store_access': 'user:rw', 'scgi_store_access': 'user:rw', 'proxy_cache_key': 'x',
    'fastcgi_cache_key': 'x', 'uwsgi_cache_key': 'x', 'scgi_cache_key': 'x', 'proxy_cache_valid': '1m',
    'fastcgi_cache_valid': '1m', 'uwsgi_cache_valid': '1m', 'scgi_cache_valid': '1m',
    'proxy_limit_rate': '1k', 'memcached_gzip_flag': '1', 'chunked_transfer_encoding': 'on',
    'ssl_stapling': 'off', 'ssl_stapling_verify': 'off', 'ssl_prefer_server_ciphers': 'off',
    'ssl_session_tickets': 'on', 'ssl': 'off', 'lingering_time': '1s', 'lingering_timeout': '1s',
    'reset_timedout_connection': 'on', 'mirror_request_body': 'on', 'listen': '127.0.0.1:18099',
}
ON = {'on|off'}
def sample(name, rule):
    if name in SAMPLE:
        return SAMPLE[name]
    if rule.startswith('on|off'): return 'on'
    if rule.startswith('0 ;') or rule.startswith('0 or'): return ''
    if re.search(r'_(timeout|time|delay|age|valid|lock_timeout|next_upstream_timeout|idle_timeout|recv_timeout)$', name): return '10s'
    if re.search(r'_buffers$', name): return '4 8k'
    if re.search(r'(_size|_file_size|_length|_chunk|_offset|_rate)$', name): return '8k'
    if re.search(r'_(tries|uses|depth|requests|level|min_uses)$', name): return '1'
    if re.search(r'(_hide_header|_pass_header)$', name): return 'X-A'
    if re.search(r'_ssl_(certificate|certificate_key|trusted_certificate|crl|password_file)$', name): return '/tmp/x'
    if re.search(r'_ssl_protocols$', name): return 'TLSv1.2'
    if re.search(r'_ssl_ciphers$', name): return 'HIGH'
    if re.search(r'_ssl_name$', name): return 'x'
    if re.search(r'_ssl_conf_command$', name): return 'a b'
    if re.search(r'_(next_upstream)$', name): return 'error'
    if re.search(r'_ignore_headers$', name): return 'X-Accel-Expires'
    if re.search(r'_cache_use_stale$', name): return 'error'
    if re.search(r'_cache_methods$', name): return 'GET'
    if re.search(r'_(cache_bypass|no_cache)$', name): return '$x'
    if re.search(r'_intercept_errors|_force_ranges|_ignore_client_abort', name): return 'on'
    return 'x'

def run(conf_text):
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'n.conf')
    open(p, 'w').write(conf_text)
    r = subprocess.run(['nginx', '-t', '-q', '-c', p, '-p', d + '/', '-e', d + '/err.log'], capture_output=True, text=True)
    out = r.stderr.strip().splitlines()
    return out[0].replace(p, 'F') if out and r.returncode else 'ok'

def wrap(ctx, body):
    if ctx == 'main': return body + '\nevents {}\n'
    if ctx == 'events': return 'events {\n' + body + '\n}\n'
    pre = 'events {}\nhttp {\nmap $uri $x { default 1; }\nmap $uri $y { default 1; }\n'
    if ctx == 'http': return pre + body + '\n}\n'
    if ctx == 'upstream': return pre + 'upstream u {\nserver 127.0.0.1;\n' + body + '\n}\n}\n'
    if ctx == 'server': return pre + 'server {\nlisten 127.0.0.1:18098;\n' + body + '\n}\n}\n'
    if ctx == 'location': return pre + 'server {\nlisten 127.0.0.1:18098;\nlocation /loc {\n' + body + '\n}\n}\n}\n'
    if ctx == 'if': return pre + 'server {\nlisten 127.0.0.1:18098;\nlocation /loc {\nif ($x) {\n' + body + '\n}\n}\n}\n}\n'
    raise ValueError(ctx)

rows = {}
for line in open(TSV):
    f = line.rstrip('\n').split('\t')
    if f[0] != 'oss_124': continue
    name, ctxs, rule = f[1], f[3].split(','), f[4]
    if ctxs[0].startswith(('mail', 'stream')): continue
    if '+block' in rule: continue
    order = ['http>location', 'http>server', 'http', 'http>upstream', 'main', 'direct', 'events', 'http>location>if']
    best = next(c for c in order if c in ctxs)
    ctx = {'http>location': 'location', 'http>server': 'server', 'http': 'http', 'http>upstream': 'upstream',
           'main': 'main', 'direct': 'main', 'events': 'events', 'http>location>if': 'if'}[best]
    rows.setdefault(name, (ctx, rule))

with open(OUT, 'w') as o:
    o.write('name\tcontext\tonce\ttwice\n')
    for name, (ctx, rule) in sorted(rows.items()):
        s = sample(name, rule)
        if s is None: continue
        d = f'{name} {s};'.replace(' ;', ';')
        once = run(wrap(ctx, d))
        twice = run(wrap(ctx, d + '\n' + d)) if 'unknown directive' not in once else ''
        o.write(f'{name}\t{ctx}\t{once}\t{twice}\n')
print('done')
