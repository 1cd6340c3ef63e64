using NginxLite.TestSupport;
using System.Diagnostics;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>
/// Debian's nginx 1.22 (<c>./install.sh --test-peers</c>) as one foreground process:
/// <c>nginx -p PREFIX/ -c FILE -e PREFIX/logs/error.log -g 'daemon off; master_process off;'</c>.
/// With no master process there is no worker to drop to <c>nobody</c>, and the started PID is the server;
/// site files are world-readable anyway (<see cref="NginxLite.TestSupport.TempDir"/>).
/// </summary>
internal sealed class NginxFlavor : ServerFlavor
{
    public const string Binary = "/usr/sbin/nginx";

    public override string Name => "nginx";

    // With server_tokens off nginx 1.22 ends its pages with "<hr><center>nginx</center>".
    public override string ErrorPageName => "nginx";

    public override ProcessStartInfo StartInfo(string configFile, string prefix, string errorLog)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run ./install.sh --test-peers (the HTTP differential tests start the real nginx)");
        }

        return new ProcessStartInfo(Binary, ["-p", prefix.TrimEnd('/') + "/", "-c", configFile, "-e", errorLog, "-g", "daemon off; master_process off;"]);
    }
}
