using NginxLite.Routing;
using NginxLite.Routing.Compilation;

namespace NginxLite.Handlers.Tests.Upstream;

/// <summary>A route table compiled from an http block (upstreams only matter here).</summary>
internal sealed class RouteTableStub
{
    public RouteTableStub(string http = "")
    {
        var text = "events {}\nhttp {\n" + http + "\nserver { listen 127.0.0.1:1; }\n}\n";
        var load = RouteTableLoader.LoadText(text, Path.GetTempPath());
        Assert.True(load.Table is not null, string.Join("\n", load.Test.Diagnostics));
        Table = load.Table!;
    }

    public RouteTable Table { get; }
}
