using System.Diagnostics;

namespace NginxLite.Interop.Tests.Servers;

/// <summary>
/// NginxLite through its nginx-compatible process interface only: <c>nginxlite -p PREFIX/ -c FILE -e ERRORLOG</c>
/// runs in the foreground like <c>nginx -g 'daemon off;'</c>. The executable is found by <see cref="NginxLiteExecutable"/>.
/// </summary>
internal sealed class NginxLiteFlavor : ServerFlavor
{
    public override string Name => "nginxlite";

    // Assumed to be the product name; if the engine writes something else, the differential rows say so.
    public override string ErrorPageName => "nginxlite";

    public override ProcessStartInfo StartInfo(string configFile, string prefix, string errorLog)
    {
        var exe = NginxLiteExecutable.Find();
        return new ProcessStartInfo(exe.Path, ["-p", prefix.TrimEnd('/') + "/", "-c", configFile, "-e", errorLog]);
    }
}
