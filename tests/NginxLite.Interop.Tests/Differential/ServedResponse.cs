using NginxLite.Interop.Tests.Http;
using NginxLite.Interop.Tests.Servers;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>A response together with who served it (for the port and the error-page name to normalise).</summary>
public sealed record ServedResponse(string Server, int Port, string ErrorPageName, RawResponse Response)
{
    public static ServedResponse From(ServerProcess server, RawResponse response) =>
        new(server.Flavor.Name, server.Port, server.Flavor.ErrorPageName, response);
}
