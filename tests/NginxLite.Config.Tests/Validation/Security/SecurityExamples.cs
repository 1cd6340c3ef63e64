namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>One bad and one fixed config per check: the examples of docs/security-lint.md.</summary>
public static class SecurityExamples
{
    public static readonly (string Check, string Bad, string Fixed)[] All =
    [
        ("alias-traversal",
            "location /i { alias /data/i/; }",
            "location /i/ { alias /data/i/; }"),
        ("httpoxy",
            "location ~ \\.php$ { try_files $uri =404; fastcgi_pass 127.0.0.1:9000; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; }",
            "location ~ \\.php$ { try_files $uri =404; fastcgi_pass 127.0.0.1:9000; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_param HTTP_PROXY \"\"; }"),
        ("host-spoofing",
            "location / { proxy_pass http://127.0.0.1:8000; proxy_set_header Host $http_host; }",
            "location / { proxy_pass http://127.0.0.1:8000; proxy_set_header Host $host; }"),
        ("ssrf",
            "location /fetch/ { proxy_pass http://$arg_host/; }",
            "location /fetch/ { proxy_pass http://backend.internal/; }"),
        ("http-splitting",
            "location / { return 302 https://$host$uri; }",
            "location / { return 302 https://$host$request_uri; }"),
        ("add-header-redefinition",
            "add_header X-Frame-Options DENY; location / { add_header X-Foo foo; }",
            "add_header X-Frame-Options DENY; location / { add_header X-Frame-Options DENY; add_header X-Foo foo; }"),
        ("origins",
            "location / { if ($http_origin !~ '^https://example.com') { return 403; } }",
            "location / { if ($http_origin !~ '^https://example\\.com$') { return 403; } }"),
        ("valid-referers-none",
            "location /img/ { valid_referers none server_names; if ($invalid_referer) { return 403; } }",
            "location /img/ { valid_referers server_names; if ($invalid_referer) { return 403; } }"),
        ("php-path-info",
            "location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; fastcgi_param HTTP_PROXY \"\"; }",
            "location ~ \\.php$ { try_files $uri =404; fastcgi_pass 127.0.0.1:9000; fastcgi_param HTTP_PROXY \"\"; }"),
        ("server-tokens",
            "server_tokens on;",
            "server_tokens off;"),
        ("autoindex-root",
            "location /files/ { root /; autoindex on; }",
            "location /files/ { root /srv/share; autoindex on; }"),
        ("root-user",
            "location /cgi-bin/ { cgi on; cgi_user root; }",
            "location /cgi-bin/ { cgi on; cgi_user www-data; }"),
    ];

    /// <summary>A server-level snippet inside a complete config.</summary>
    public static string InServer(string snippet) =>
        $"events {{}}\nhttp {{\n    server {{\n        listen 127.0.0.1:8080;\n        {snippet}\n    }}\n}}\n";
}
