using NginxLite.Routing.Compilation;
using NginxLite.Routing.Locations;
using NginxLite.Routing.Servers;

namespace NginxLite.Routing.Tests;

internal static class RouteFixture
{
    public static RouteTable Compile(string http)
    {
        var text = "events {}\nhttp {\n" + http + "\n}\n";
        var load = RouteTableLoader.LoadText(text, "/tmp/nginxlite-routing-tests/");
        Assert.True(load.Table is not null, string.Join("\n", load.Test.Diagnostics));
        return load.Table!;
    }

    /// <summary>The single server of a one-server config.</summary>
    public static VirtualServer Server(string serverBody) =>
        Compile("server {\n listen 127.0.0.1:8080;\n" + serverBody + "\n}").Listeners[0].Servers.Default;

    /// <summary>The location <paramref name="uri"/> lands in, printed as "= /x", "^~ /x", "~ re", "/x", or "none".</summary>
    public static string Match(VirtualServer server, string uri, TestState? state = null)
    {
        var result = server.Locations.Find(uri, state ?? new TestState(), out var location);
        return result switch
        {
            LocationMatchResult.None => "none",
            LocationMatchResult.AutoRedirect => "redirect " + location,
            _ => location!.ToString(),
        };
    }
}
