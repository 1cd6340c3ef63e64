#!/usr/bin/env python3
"""Writes DIR/app.ini (about 220 lines: placeholders, comments, repeated keys, one unsupported key per few lines) and
five included files DIR/inc0.ini … inc4.ini (about 50 lines each) for tools/bench/ini-migrate.sh.
Usage: gen-uwsgi-ini.py DIR"""
import os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
random.seed(5)
opts = ['processes = 4', 'threads = 2', 'master = true', 'vacuum = true', 'harakiri = 30', 'max-requests = 5000',
        'env = K{0}=V{0}', 'static-map = /s{0}=/srv/static{0}', 'enable-threads = true', 'memory-report = true',
        'buffer-size = 32768', 'pythonpath = /srv/lib{0}', 'lazy-apps = true', 'die-on-term = true', 'offload-threads = 2',
        'route = ^/old{0} redirect:/new{0}', 'listen = 1024', 'disable-logging = false', 'single-interpreter = true',
        'chmod-socket = 660']

def body(n, tag):
    lines = []
    for i in range(n):
        if i % 7 == 0:
            lines.append('; comment %d' % i)
        lines.append(random.choice(opts).format(i))
        if i % 11 == 0:
            lines.append('var_%s_%d = %%(base)/x%d' % (tag, i, i))
    return lines

main = ['[uwsgi]', 'base = /srv/app', 'module = app.wsgi:application', 'socket = /run/app.sock', 'chdir = %(base)',
        'home = %(base)/.venv']
for k in range(5):
    main.append('ini = inc%d.ini' % k)
    with open(os.path.join(out, 'inc%d.ini' % k), 'w') as f:
        f.write('\n'.join(['[uwsgi]'] + body(40, 'i%d' % k)) + '\n')
main += body(170, 'm')
with open(os.path.join(out, 'app.ini'), 'w') as f:
    f.write('\n'.join(main) + '\n')
