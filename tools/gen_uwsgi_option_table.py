#!/usr/bin/env python3
"""Generates src/NginxLite.Ini/Options/uwsgi-options.tsv (embedded in NginxLite.Ini) and docs/uwsgi-options.md
from ../shared/corpus/uwsgi/UWSGI_OPTIONS_2.0.21.tsv (every option of Debian's uWSGI 2.0.21, core and plugins)
plus the classification below: each option is
  mapped      -> the NginxLite directive it becomes (TARGET: app:NAME, server:listen, server:static_map, http:…, main:…,
                 config:… for what the ini reader itself does: includes, placeholders, logic),
  ignored     -> a reason why dropping it is safe,
  unsupported -> what to do instead.
Aliases (same short letter, or same help text, in one source) share their canonical option's row.
Re-run after editing this file:  python3 tools/gen_uwsgi_option_table.py"""
import os, collections

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
SRC = os.path.join(ROOT, '../shared/corpus/uwsgi/UWSGI_OPTIONS_2.0.21.tsv')
COUNTS = os.path.join(ROOT, '../shared/corpus/uwsgi/OPTION_COUNTS.tsv')
OUT = os.path.join(ROOT, 'src/NginxLite.Ini/Options/uwsgi-options.tsv')
DOC = os.path.join(ROOT, 'docs/uwsgi-options.md')

M, I, U = 'mapped', 'ignored', 'unsupported'

# ---- explicit rows: option -> (outcome, target or '', reason) -------------------------------------------------------
EXPLICIT = {
    # the application
    'module': (M, 'app:module', 'the WSGI module (module:callable)'),
    'wsgi': (M, 'app:module', 'alias of module'),
    'wsgi-file': (M, 'app:wsgi_file', 'the WSGI file'),
    'file': (M, 'app:wsgi_file', 'alias of wsgi-file'),
    'callable': (M, 'app:callable', 'the WSGI callable'),
    'rack': (M, 'app:rack', 'the Rack config.ru (lazy-apps = false: parsed once by a loader, the workers are its forks)'),
    'chdir': (M, 'app:chdir', 'workers start in this directory'),
    'chdir2': (M, 'app:chdir', 'workers start in this directory (after loading apps in uWSGI; NginxLite has one chdir)'),
    'virtualenv': (M, 'app:virtualenv', 'the Python virtualenv'),
    'pythonpath': (M, 'app:pythonpath', 'added to sys.path'),
    'processes': (M, 'app:processes', 'number of worker processes'),
    'threads': (M, 'app:threads', 'threads per worker'),
    'uid': (M, 'app:user', 'workers drop to this user'),
    'gid': (M, 'app:user', 'workers drop to this group (second argument of user)'),
    'env': (M, 'app:env', 'environment of the workers'),
    'harakiri': (M, 'app:harakiri', 'seconds; a worker stuck on one request is killed'),
    'max-requests': (M, 'app:max_requests', 'a worker is recycled after N requests'),
    'reload-on-rss': (M, 'app:reload_on_rss', 'megabytes in uWSGI; written with an m suffix'),
    'lazy-apps': (M, 'app:lazy_apps', 'true: every worker imports the app; false: one loader imports it, the workers are its forks'),
    'lazy': (M, 'app:lazy_apps', 'as lazy-apps'),
    'listen': (M, 'app:listen_backlog', 'socket listen queue'),
    'buffer-size': (M, 'app:buffer_size', 'bytes for the request headers'),
    'socket': (M, 'app:socket', 'the uwsgi-protocol socket; with --nginx the uwsgi_pass to it becomes app_pass'),
    'uwsgi-socket': (M, 'app:socket', 'the uwsgi-protocol socket'),
    'chmod-socket': (M, 'app:chmod_socket', 'mode of the Unix socket (bare: 666)'),
    'chown-socket': (M, 'app:chown_socket', 'owner of the Unix socket'),
    'http-socket': (M, 'server:listen', 'an HTTP listener routing to the app (server { listen …; location / { app_pass …; } })'),
    'http': (M, 'server:listen', 'the HTTP router becomes a server listening there and routing to the app'),
    'static-map': (M, 'server:static_map', 'location MOUNT { alias DIR; }'),
    'disable-logging': (M, 'http:access_log', 'access_log off'),
    'logto': (M, 'main:error_log', 'the app\'s log goes to the error_log'),
    'daemonize': (M, 'main:error_log', 'daemonize=FILE logs to FILE: error_log FILE (run nginxlite under systemd instead of daemonizing)'),
    'pidfile': (M, 'main:pid', 'pid file'),
    # what the ini reader does itself
    'ini': (M, 'config:include', 'the file is read in place (relative to the including file)'),
    'inherit': (M, 'config:include', 'the template file is read in place'),
    'include': (M, 'config:include', 'the file is read in place'),
    'set-placeholder': (M, 'config:placeholder', 'defines a %(placeholder)'),
    'set-ph': (M, 'config:placeholder', 'defines a %(placeholder)'),
    'set': (M, 'config:set', 'sets option=value'),
    'strict': (M, 'config:strict', 'unknown keys become errors, as --strict'),
    # ignored: NginxLite always does it, or it has no effect on what is served
    'master': (I, '', 'NginxLite\'s supervisor is always the master process'),
    'vacuum': (I, '', 'NginxLite always removes its sockets and pid file on exit'),
    'die-on-term': (I, '', 'SIGTERM always stops NginxLite (nginx\'s fast shutdown; SIGQUIT is graceful)'),
    'enable-threads': (I, '', 'workers may always start threads'),
    'single-interpreter': (I, '', 'each worker runs one interpreter'),
    'memory-report': (I, '', 'no per-request memory report in the log'),
    'plugin': (I, '', 'NginxLite picks the worker shim from module/wsgi-file/rack; there are no plugins to load'),
    'plugins': (I, '', 'NginxLite picks the worker shim from module/wsgi-file/rack; there are no plugins to load'),
    'need-plugin': (I, '', 'no plugins'), 'need-plugins': (I, '', 'no plugins'),
    'plugin-dir': (I, '', 'no plugins'), 'plugins-dir': (I, '', 'no plugins'),
    'plugin-list': (I, '', 'no plugins'), 'plugins-list': (I, '', 'no plugins'), 'autoload': (I, '', 'no plugins'),
    'touch-reload': (I, '', 'watched by `nginxlite --ini` (a touch restarts the workers); in an app block: run `nginxlite -s reload` after a deploy'),
    'touch-chain-reload': (I, '', 'no file watching: run `nginxlite -s reload` after a deploy (workers restart one at a time)'),
    'touch-workers-reload': (I, '', 'no file watching: run `nginxlite -s reload` after a deploy'),
    'touch-logreopen': (I, '', 'no file watching: run `nginxlite -s reopen` after rotating logs'),
    'py-auto-reload': (I, '', 'no code watching: run `nginxlite -s reload` after a deploy'),
    'py-autoreload': (I, '', 'no code watching: run `nginxlite -s reload` after a deploy'),
    'python-auto-reload': (I, '', 'no code watching: run `nginxlite -s reload` after a deploy'),
    'python-autoreload': (I, '', 'no code watching: run `nginxlite -s reload` after a deploy'),
    'py-auto-reload-ignore': (I, '', 'no code watching'),
    'stats': (I, '', 'served by `nginxlite --ini` (uWSGI\'s stats JSON, docs/apps-cli.md); not in an app block'),
    'stats-server': (I, '', 'served by `nginxlite --ini` (uWSGI\'s stats JSON, docs/apps-cli.md); not in an app block'),
    'stats-http': (I, '', 'served by `nginxlite --ini`: the stats JSON after uWSGI\'s HTTP head (docs/apps-cli.md)'),
    'stats-minified': (I, '', 'no uWSGI stats server'), 'stats-min': (I, '', 'no uWSGI stats server'),
    'offload-threads': (I, '', 'static files and responses are sent by NginxLite\'s event loop; no offload threads'),
    'offload-thread': (I, '', 'static files and responses are sent by NginxLite\'s event loop; no offload threads'),
    'logger': (I, '', 'NginxLite logs to error_log (worker output included); pluggable uWSGI loggers are not available'),
    'req-logger': (I, '', 'requests are logged by access_log; pluggable uWSGI loggers are not available'),
    'logger-req': (I, '', 'requests are logged by access_log'),
    'log-format': (I, '', 'requests are logged by access_log; write an nginx log_format if you need another line'),
    'logformat': (I, '', 'requests are logged by access_log; write an nginx log_format if you need another line'),
    'logfile-chown': (I, '', 'log files are created by the master with its own owner'),
    'logfile-chmod': (I, '', 'log files are created by the master'),
    'log-reopen': (I, '', 'logs are reopened on SIGUSR1 / `nginxlite -s reopen`, as nginx'),
    'log-date': (I, '', 'error_log lines always carry a date'), 'logdate': (I, '', 'error_log lines always carry a date'),
    'log-5xx': (I, '', 'every request is in access_log'), 'log-4xx': (I, '', 'every request is in access_log'),
    'log-slow': (I, '', 'every request is in access_log'), 'log-big': (I, '', 'every request is in access_log'),
    'log-zero': (I, '', 'every request is in access_log'), 'log-sendfile': (I, '', 'every request is in access_log'),
    'log-ioerror': (I, '', 'every request is in access_log'), 'log-micros': (I, '', 'access_log format is nginx\'s'),
    'log-x-forwarded-for': (I, '', 'access_log format is nginx\'s'), 'log-master': (I, '', 'the master writes the logs'),
    'log-maxsize': (I, '', 'rotate logs with logrotate and `nginxlite -s reopen`'),
    'log-backupname': (I, '', 'rotate logs with logrotate and `nginxlite -s reopen`'),
    'threaded-logger': (I, '', 'logging never blocks a worker'),
    'show-config': (I, '', 'prints the configuration at startup; `nginxlite -T` dumps it'),
    'print': (I, '', 'prints a line at startup'), 'iprint': (I, '', 'prints a line at startup'),
    'auto-procname': (I, '', 'process names are not changed'),
    'procname': (I, '', 'process names are not changed'), 'procname-prefix': (I, '', 'process names are not changed'),
    'procname-prefix-spaced': (I, '', 'process names are not changed'), 'procname-append': (I, '', 'process names are not changed'),
    'procname-master': (I, '', 'process names are not changed'),
    'need-app': (I, '', 'a worker whose app does not load fails to start and the pool reports it'),
    'no-orphans': (I, '', 'workers always die with the master'),
    'thunder-lock': (I, '', 'the master accepts connections; workers never compete for accept()'),
    'subscribe-to': (I, '', 'no fastrouter subscription: NginxLite routes requests itself; point your router at its listen address'),
    'subscribe2': (I, '', 'no fastrouter subscription: NginxLite routes requests itself'),
    'unsubscribe-on-graceful-reload': (I, '', 'no fastrouter subscription'),
    'socket-timeout': (I, '', 'the uwsgi socket\'s I/O timeout; NginxLite\'s client timeouts apply'),
    'static-expires-type-mtime': (I, '', 'add `expires` to the static location if you relied on it'),
    'static-expires-type': (I, '', 'add `expires` to the static location if you relied on it'),
    'cheaper': (I, '', 'the pool keeps `processes` workers running; no adaptive spawning'),
    'cheaper-initial': (I, '', 'the pool keeps `processes` workers running'), 'cheaper-step': (I, '', 'the pool keeps `processes` workers running'),
    'cheaper-algo': (I, '', 'the pool keeps `processes` workers running'),
    'post-buffering': (I, '', 'request bodies are streamed to the worker; buffering is managed'),
    'post-buffering-bufsize': (I, '', 'request bodies are streamed to the worker'),
    'harakiri-verbose': (I, '', 'harakiri kills are always logged'),
    'reload-mercy': (I, '', 'workers get NginxLite\'s fixed grace period on reload'),
    'worker-reload-mercy': (I, '', 'workers get NginxLite\'s fixed grace period on reload'),
    'max-worker-lifetime': (U, '', 'no time-based recycling: use max_requests'),
    'no-default-app': (I, '', 'there is one app per pool'),
    'manage-script-name': (I, '', 'the app receives SCRIPT_NAME from the location that passes to it'),
    'mount': (U, '', 'one app per pool: write one app block per mountpoint and app_pass to each from its location'),
    'umask': (U, '', 'set UMask= in the systemd unit that runs nginxlite'),
    'enable-proxy-protocol': (U, '', 'use nginx\'s `listen … proxy_protocol` and `real_ip` in the server'),
    'honour-stdin': (I, '', 'workers get /dev/null on stdin'),
    'catch-exceptions': (I, '', 'tracebacks go to the error_log, never to the client'),
    'py-tracebacker': (I, '', 'no tracebacker socket'),
    'no-site': (U, '', 'the worker shim always imports site; use a virtualenv to control sys.path'),
    'optimize': (U, '', 'set PYTHONOPTIMIZE with env'),
    'pyargv': (U, '', 'sys.argv is the shim\'s; read settings from env instead'),
    'import': (U, '', 'import the module from your app'), 'pyimport': (U, '', 'import the module from your app'),
    'py-import': (U, '', 'import the module from your app'), 'python-import': (U, '', 'import the module from your app'),
    'shared-import': (U, '', 'import the module from your app'), 'shared-pyimport': (U, '', 'import the module from your app'),
    'shared-py-import': (U, '', 'import the module from your app'), 'shared-python-import': (U, '', 'import the module from your app'),
    'paste': (U, '', 'load the app with module = your.module:app (paste.deploy loadapp in a small wsgi file)'),
    'ini-paste': (U, '', 'load the app with a small wsgi file calling paste.deploy.loadapp'),
    'ini-paste-logged': (U, '', 'load the app with a small wsgi file calling paste.deploy.loadapp'),
    'mount-points': (U, '', 'one app block per mountpoint'),
    'check-static': (U, '', 'write `root DIR; try_files $uri @app;` with `location @app { app_pass NAME; }` in the server'),
    'static-index': (U, '', 'write `index FILE;` in the static location'),
    'static-gzip': (U, '', 'use gzip_static in the static location'), 'static-gzip-all': (U, '', 'use gzip_static in the static location'),
    'static-map2': (U, '', 'write `location MOUNT { root DIR; }` (static-map2 appends the whole path)'),
    'static-skip-ext': (U, '', 'write a regex location that passes those extensions to the app'),
    'route': (U, '', 'internal routing: express it as nginx locations (rewrite, return, try_files) in the server'),
    'route-uri': (U, '', 'internal routing: express it as nginx locations in the server'),
    'route-host': (U, '', 'internal routing: express it as nginx server_name/locations'),
    'route-run': (U, '', 'internal routing: express it as nginx locations in the server'),
    'add-header': (U, '', 'write `add_header NAME VALUE;` in the server'),
    'del-header': (U, '', 'remove the header in the app'),
    'spooler': (U, '', 'no spooler: run a task queue (Celery, RQ) as its own service'),
    'spooler-processes': (U, '', 'no spooler: run a task queue (Celery, RQ) as its own service'),
    'cron': (U, '', 'run the command from a systemd timer or cron'),
    'attach-daemon': (U, '', 'run the daemon as its own systemd service'),
    'attach-daemon2': (U, '', 'run the daemon as its own systemd service'),
    'smart-attach-daemon': (U, '', 'run the daemon as its own systemd service'),
    'smart-attach-daemon2': (U, '', 'run the daemon as its own systemd service'),
    'mule': (U, '', 'no mules: run the background loop as its own service'),
    'mules': (U, '', 'no mules: run the background loop as its own service'),
    'protocol': (U, '', 'workers speak the uwsgi protocol on `socket`; use http-socket for HTTP'),
    'socket-protocol': (U, '', 'workers speak the uwsgi protocol on `socket`; use http-socket for HTTP'),
    'fastcgi-socket': (U, '', 'no FastCGI listener for apps: use socket (uwsgi) or http-socket'),
    'scgi-socket': (U, '', 'no SCGI listener for apps: use socket (uwsgi) or http-socket'),
    'https': (U, '', 'terminate TLS in the server: `listen PORT ssl;` with ssl_certificate and ssl_certificate_key'),
    'https-socket': (U, '', 'terminate TLS in the server: `listen PORT ssl;` with ssl_certificate and ssl_certificate_key'),
    'http-to': (U, '', 'the HTTP router forwards to another uwsgi socket: use proxy_pass/uwsgi_pass in a server'),
    'http-to-https': (U, '', 'write `return 301 https://$host$request_uri;` in the port-80 server'),
    'http-timeout': (U, '', 'set proxy/app timeouts in the server'),
    'http-keepalive': (I, '', 'keep-alive is always on (keepalive_timeout)'),
    'http-auto-chunked': (I, '', 'responses without a length are always chunked'),
    'http-websockets': (U, '', 'WebSocket upgrades through app_pass are not supported yet'),
    'http-processes': (I, '', 'the HTTP side is NginxLite\'s own event loop'), 'http-workers': (I, '', 'the HTTP side is NginxLite\'s own event loop'),
    'cgi': (U, '', 'use a `cgi on;` location (with cgi_user) in the server'),
    'emperor': (U, '', 'no Emperor: migrate each vassal ini and put its app block in one nginxlite config'),
    'limit-as': (U, '', 'set MemoryMax= in the systemd unit, or use reload_on_rss'),
    'limit-post': (U, '', 'write `client_max_body_size SIZE;` in the server'),
    'max-fd': (U, '', 'set LimitNOFILE= in the systemd unit'),
    'cpu-affinity': (U, '', 'set CPUAffinity= in the systemd unit'),
    'chroot': (U, '', 'use RootDirectory= in the systemd unit'),
    'cap': (U, '', 'use AmbientCapabilities= in the systemd unit'),
    'unshare': (U, '', 'use systemd sandboxing (PrivateTmp=, ProtectSystem=)'),
    'cache2': (U, '', 'no uWSGI cache: use Redis or memcached from the app'),
    'cache': (U, '', 'no uWSGI cache: use Redis or memcached from the app'),
    'sharedarea': (U, '', 'no shared area: use Redis or a database'),
    'xml': (U, '', 'convert the XML config to ini first'), 'yaml': (U, '', 'convert the YAML config to ini first'),
    'yml': (U, '', 'convert the YAML config to ini first'), 'json': (U, '', 'convert the JSON config to ini first'),
    'js': (U, '', 'convert the JSON config to ini first'),
    'exit': (U, '', 'an ini that exits on purpose cannot be migrated'),
    'reload-on-as': (U, '', 'use reload_on_rss'), 'evil-reload-on-rss': (U, '', 'use reload_on_rss'),
    'evil-reload-on-as': (U, '', 'use reload_on_rss'),
    'vhost': (U, '', 'one app per pool: use server_name and one app block per host'),
    'async': (U, '', 'async cores are not supported: use threads'),
    'ugreen': (U, '', 'async cores are not supported: use threads'),
    'wsgi-env-behavior': (I, '', 'the environ is rebuilt for every request'), 'wsgi-env-behaviour': (I, '', 'the environ is rebuilt for every request'),
    'wsgi-disable-file-wrapper': (I, '', 'wsgi.file_wrapper is a plain iterator'),
    'uwsgi': (U, '', 'not an option'),
}
# logic blocks: evaluated by the ini reader, on the machine that runs the migration
for k in ['for', 'for-glob', 'for-readline', 'for-times', 'endfor', 'end-for', 'if-dir', 'if-directory', 'if-env', 'if-exists',
          'if-file', 'if-hostname', 'if-not-dir', 'if-not-env', 'if-not-exists', 'if-not-file', 'if-not-hostname', 'if-not-opt',
          'if-opt', 'if-reload', 'if-not-reload', 'ifdir', 'ifenv', 'ifexists', 'endif', 'end-if', 'else', 'end',
          'if-plugin', 'if-not-plugin', 'ifplugin', 'if-hostname-match', 'if-not-hostname-match']:
    EXPLICIT[k] = (M, 'config:logic', 'config logic, evaluated when the ini is read (on the machine that runs nginxlite)')

# Options real files use that Debian's build does not list (OPTION_COUNTS.tsv: not-in-Debian-build): the rack plugin
# (mapped), other language plugins (unsupported), and the logic keywords uWSGI handles without an option row.
EXTRA = []
for line in open(COUNTS):
    f = line.rstrip('\n').split('\t')
    if len(f) > 7 and f[7].startswith('not-in-Debian-build('):
        origin = f[7][len('not-in-Debian-build('):-1]
        EXTRA.append((f[0], '', origin.replace('plugin:', '') + '-plugin' if origin.startswith('plugin:') else 'core', 'not in Debian\'s uWSGI 2.0.21 build'))
EXTRA.append(('end', '', 'core', 'end a config logic block'))
EXPLICIT.update({
    'rbrequire': (U, '', 'require the library from config.ru'),
    'gemset': (U, '', 'activate the gemset in the environment (env GEM_HOME=…)'),
    'rbthreads': (U, '', 'use threads'),
    'gevent': (U, '', 'gevent loops are not supported: use threads'),
    'psgi': (U, '', 'no Perl workers: run the PSGI app with a PSGI server behind proxy_pass'),
    'php-docroot': (U, '', 'run PHP with php-fpm behind fastcgi_pass'), 'php-index': (U, '', 'run PHP with php-fpm behind fastcgi_pass'),
    'php-allowed-ext': (U, '', 'run PHP with php-fpm behind fastcgi_pass'), 'php-set': (U, '', 'run PHP with php-fpm behind fastcgi_pass'),
    'early-php': (U, '', 'run PHP with php-fpm behind fastcgi_pass'), 'early-php-sapi-name': (U, '', 'run PHP with php-fpm behind fastcgi_pass'),
})

# ---- prefix rules for the long tail ----------------------------------------------------------------------------------
RULES = [
    (('route', 'final-route', 'error-route', 'response-route', 'router-list', 'routers-list'), U, 'internal routing: express it as nginx locations (rewrite, return, try_files) in the server'),
    (('cache', 'load-file-in-cache', 'check-cache', 'add-cache-item'), U, 'no uWSGI cache: use Redis or memcached from the app'),
    (('spooler',), U, 'no spooler: run a task queue (Celery, RQ) as its own service'),
    (('emperor', 'vassal', 'imperial', 'early-emperor', 'call-as-emperor', 'exec-as-emperor', 'mount-as-emperor', 'umount-as-emperor', 'hook-emperor', 'hook-as-emperor', 'hook-as-vassal', 'call-as-vassal', 'exec-as-vassal', 'mount-as-vassal', 'umount-as-vassal'),
        U, 'no Emperor: migrate each vassal ini and put its app block in one nginxlite config'),
    (('legion', 'cron-legion', 'unique-legion', 'unique-cron-legion'), U, 'no Legion clustering: use your load balancer\'s health checks'),
    (('log', 'logger', 'loggers', 'req-logger'), I, 'NginxLite writes error_log and access_log; uWSGI\'s log routing has no equivalent'),
    (('stats', 'metric', 'enable-metrics', 'carbon', 'rrdtool', 'zabbix', 'snmp'), I, 'no uWSGI stats/metrics; NginxLite\'s state is in its logs'),
    (('cheaper', 'cheap', 'idle', 'die-on-idle'), I, 'the pool keeps `processes` workers running; no adaptive spawning'),
    (('alarm', 'lq-alarm', 'listen-queue-alarm', 'segfault-alarm', 'backlog-alarm', 'not-alarm', 'not-log-alarm'), U, 'no alarms: watch the error_log with your monitoring'),
    (('hook', 'exec-', 'call-', 'mount-', 'umount-', 'after-request'), U, 'run it from the systemd unit (ExecStartPre=/ExecStopPost=) or from the app'),
    (('attach-', 'smart-attach', 'attach-control'), U, 'run the daemon as its own systemd service'),
    (('touch-', 'fs-reload', 'fs-brutal-reload', 'fs-signal', 'propagate-touch'), I, 'no file watching: run `nginxlite -s reload` after a deploy'),
    (('mule', 'farm'), U, 'no mules: run the background loop as its own service'),
    (('https', 'ssl-', 'sni', 'suwsgi', 'https-socket'), U, 'terminate TLS in the server: `listen PORT ssl;` with ssl_certificate and ssl_certificate_key'),
    (('subscribe', 'subscription', 'start-unsubscribed'), I, 'no fastrouter subscription: NginxLite routes requests itself'),
    (('procname',), I, 'process names are not changed'),
    (('static-expires',), I, 'add `expires` to the static location if you relied on it'),
    (('static-',), U, 'write it as nginx directives (root, alias, index, gzip_static, expires) in the static location'),
    (('websocket',), U, 'WebSocket upgrades through app_pass are not supported yet'),
    (('wait-for', 'wait-iface', 'wait-interface'), U, 'order the start with systemd (After=, Requires=)'),
    (('namespace', 'ns', 'setns', 'pivot', 'jail', 'unshare', 'cgroup', 'chroot', 'limit-', 'cap'), U, 'use the systemd unit\'s sandboxing and resource limits'),
    (('reload-on-exception',), U, 'no reload on exception: fix or catch it in the app'),
    (('harakiri-',), I, 'NginxLite\'s harakiri kills the worker and logs it; the variants have no effect'),
    (('so-', 'tcp-', 'socket-', 'reuse-port', 'freebind', 'no-defer-accept', 'shared-socket', 'undeferred-shared-socket', 'map-socket', 'abstract-socket', 'raw-socket', 'puwsgi-socket', 'zerg', 'udp', 'multicast'), U, 'no such socket option: listeners are NginxLite\'s'),
    (('thread-stack', 'threads-stack'), I, 'threads use the runtime\'s default stack'),
    (('py', 'python', 'wsgi-', 'web3', 'pump', 'pecan', 'eval', 'test', 'reload-os-env', 'start_response', 'spooler-py'), U, 'the worker shim does not offer it: do it in the app or its wsgi file'),
    (('http-',), U, 'the uWSGI HTTP router\'s tuning has no equivalent: use nginx directives in the server'),
    (('fastrouter', 'rawrouter', 'sslrouter', 'forkptyrouter', 'tuntap', 'pty', 'httprouter'), U, 'no uWSGI router/gateway plugins: NginxLite routes requests itself (proxy_pass, app_pass)'),
    (('webdav',), U, 'no WebDAV plugin: use nginx\'s dav_methods or a WebDAV app'),
    (('cgi',), U, 'use a `cgi on;` location (with cgi_user) in the server'),
    (('pam',), U, 'use auth_basic or auth_request in the server'),
    (('symcall', 'ping', 'notfound', 'nagios', 'logzmq', 'rsyslog', 'ugreen', 'zergpool'), U, 'this uWSGI plugin has no NginxLite equivalent'),
]

def classify(name, source, desc):
    if name in EXPLICIT:
        return EXPLICIT[name]
    if desc == 'not in Debian\'s uWSGI 2.0.21 build':
        return U, '', f'not part of uWSGI 2.0.21 as Debian builds it, nor of NginxLite ({source})'
    for prefixes, outcome, reason in RULES:
        if any(name == p.rstrip('-') or name.startswith(p) for p in prefixes):
            return outcome, '', reason
    if source != 'core':
        return U, '', f'the {source.replace("-plugin", "")} plugin has no NginxLite equivalent'
    return U, '', 'no NginxLite equivalent: remove it, or open an issue describing what you use it for'

rows = []
for line in open(SRC):
    if line.startswith('#') or line.startswith('option\t'):
        continue
    name, short, source, desc = line.rstrip('\n').split('\t')
    rows.append((name, short, source, desc))
rows += EXTRA

# aliases: same source and same help text (uWSGI declares aliases as rows that share both)
groups = collections.defaultdict(list)
for r in rows:
    groups[(r[2], r[3])].append(r[0])

def canonical(name, source, desc):
    names = groups[(source, desc)]
    if len(names) == 1:
        return ''
    # the explicitly classified one, else the shortest/first
    for n in names:
        if n in EXPLICIT and n != name:
            return n if name not in EXPLICIT else ''
    return ''

out = ['# Generated by tools/gen_uwsgi_option_table.py from ../shared/corpus/uwsgi/UWSGI_OPTIONS_2.0.21.tsv; edit the script, not this file.',
       'option\talias_of\tsource\toutcome\ttarget\treason\tdescription']
seen = set()
stats = collections.Counter()
for name, short, source, desc in rows:
    if name in seen:
        continue
    seen.add(name)
    alias = canonical(name, source, desc)
    outcome, target, reason = classify(alias or name, source, desc)
    if alias and reason and not reason.startswith('alias'):
        pass
    stats[outcome] += 1
    out.append('\t'.join([name, alias, source, outcome, target, reason, desc]))
os.makedirs(os.path.dirname(OUT), exist_ok=True)
open(OUT, 'w').write('\n'.join(out) + '\n')

# docs: the whole table, grouped by outcome
doc = ['# uWSGI options in NginxLite', '',
       'Generated by `tools/gen_uwsgi_option_table.py` from `../shared/corpus/uwsgi/UWSGI_OPTIONS_2.0.21.tsv` (every option of',
       'uWSGI 2.0.21 as Debian 12 builds it, core and plugins). `nginxlite migrate` and `nginxlite -t --ini` read the same table.',
       f'{stats[M]} mapped, {stats[I]} ignored, {stats[U]} unsupported.', '',
       '| option | alias of | source | outcome | becomes | reason / what to do |', '|---|---|---|---|---|---|']
for l in out[2:]:
    name, alias, source, outcome, target, reason, desc = l.split('\t')
    doc.append(f'| `{name}` | {("`" + alias + "`") if alias else ""} | {source} | {outcome} | {("`" + target + "`") if target else ""} | {reason.replace("|", "/")} |')
open(DOC, 'w').write('\n'.join(doc) + '\n')
print(len(out) - 2, 'options:', dict(stats))

# the top 60 of OPTION_COUNTS must be mapped or ignored (or not options at all: placeholders)
table = {l.split('\t')[0]: l.split('\t')[3] for l in out[2:]}
n = 0
for line in open(COUNTS):
    if line.startswith('#') or line.startswith('option\t'):
        continue
    n += 1
    if n > 60:
        break
    opt = line.split('\t')[0]
    if opt in table and table[opt] == U:
        print('TOP-60 UNSUPPORTED:', opt)
