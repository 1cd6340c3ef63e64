namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>
/// The config both servers of an upstream pair load: one worker, logs under the prefix (the tests read
/// logs/access.log and logs/error.log), no version in Server, and the given <c>http { }</c> body. The head keeps its
/// seven lines so the config line numbers in error messages stay where the tests expect them.
/// </summary>
public static class UpstreamConfig
{
    public static string Http(string httpBody) => $$"""
        worker_processes 1;
        error_log logs/error.log;
        pid logs/server.pid;
        events { worker_connections 512; }
        http {
            access_log logs/access.log;
            server_tokens off;
        {{httpBody}}
        }
        """;
}
