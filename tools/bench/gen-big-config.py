#!/usr/bin/env python3
"""Write a big nginx config for the -t benchmark: N servers x M locations (prefix, exact, regex, named),
one file per server pulled in with an include glob, plus shared snippets included from every server."""
import os
import sys

out = sys.argv[1]
servers = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
per_server = int(sys.argv[3]) if len(sys.argv) > 3 else 10
os.makedirs(os.path.join(out, "servers"), exist_ok=True)

with open(os.path.join(out, "nginx.conf"), "w") as f:
    f.write("""worker_processes auto;
pid nginx.pid;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    log_format bench '$remote_addr [$time_local] "$request" $status $body_bytes_sent';
    access_log off;
    upstream backend { server 127.0.0.1:9001 weight=3; server 127.0.0.1:9002 backup; keepalive 8; }
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    include servers/*.conf;
}
""")

with open(os.path.join(out, "proxy.inc"), "w") as f:
    f.write("""proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_read_timeout 30s;
""")

for s in range(servers):
    lines = [f"server {{",
             f"    listen 127.0.0.1:{20000 + s % 50};",
             f"    server_name s{s}.example.test www.s{s}.example.test;",
             f"    root /srv/site{s};",
             f"    index index.html index.php;",
             f"    error_page 404 /404.html;",
             f"    add_header X-Site s{s} always;"]
    for l in range(per_server):
        kind = l % 5
        if kind == 0:
            lines.append(f"    location /app{l}/ {{ include proxy.inc; proxy_pass http://backend; }}")
        elif kind == 1:
            lines.append(f"    location ~ ^/api{l}/(?<ver>v[0-9]+)/(.*)$ {{ rewrite ^ /index.php?v=$ver&p=$2 last; }}")
        elif kind == 2:
            lines.append(f"    location = /exact{l} {{ return 200 \"exact {s} {l}\\n\"; }}")
        elif kind == 3:
            lines.append(f"    location ~* \\.(css|js|png{l})$ {{ expires 30d; try_files $uri =404; }}")
        else:
            lines.append(f"    location ^~ /static{l}/ {{ alias /srv/static{s}/{l}/; }}")
    lines.append("}")
    with open(os.path.join(out, "servers", f"s{s:05d}.conf"), "w") as f:
        f.write("\n".join(lines) + "\n")
