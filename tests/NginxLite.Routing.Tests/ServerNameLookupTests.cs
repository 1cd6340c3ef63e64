namespace NginxLite.Routing.Tests;

public class ServerNameLookupTests
{
    private static readonly RouteTable Table = RouteFixture.Compile("""
        server { listen 127.0.0.1:8080; server_name first.test; }
        server { listen 127.0.0.1:8080; server_name example.com www.example.com; }
        server { listen 127.0.0.1:8080; server_name *.example.com; }
        server { listen 127.0.0.1:8080; server_name .example.org; }
        server { listen 127.0.0.1:8080; server_name mail.*; }
        server { listen 127.0.0.1:8080; server_name ~^(?<sub>\w+)\.regex\.test$; }
        server { listen 127.0.0.1:8080 default_server; server_name _; }
        server { listen 127.0.0.1:8081; server_name ""; }
        server { listen 127.0.0.1:8081; server_name b.test; }
        """);

    [Theory]
    [InlineData("first.test", 0)]
    [InlineData("example.com", 1)]
    [InlineData("www.example.com", 1)]
    [InlineData("a.example.com", 2)]
    [InlineData("a.b.example.com", 2)]
    [InlineData("example.org", 3)]
    [InlineData("x.example.org", 3)]
    [InlineData("mail.anything.net", 4)]
    [InlineData("foo.regex.test", 5)]
    [InlineData("unknown.test", 6)]
    [InlineData("", 6)]
    public void Find_Host_PicksNginxServer(string host, int ordinal)
    {
        var lookup = Table.Listeners.Single(l => l.Address.IP!.Port == 8080).Servers;
        Assert.Equal(ordinal, lookup.Find(host, new TestState()).Ordinal);
    }

    [Fact]
    public void Find_NoDefaultServerFlag_FirstServerIsDefault()
    {
        var lookup = Table.Listeners.Single(l => l.Address.IP!.Port == 8081).Servers;
        Assert.Equal(7, lookup.Find("nothing.test", null).Ordinal);
    }

    [Fact]
    public void Find_RegexName_StoresNamedCapture()
    {
        var state = new TestState();
        Table.Listeners[0].Servers.Find("abc.regex.test", state);
        Assert.Contains("abc", state.UserVariables);
    }

    [Fact]
    public void Compile_ServerWithoutListen_ListensOnWildcard80()
    {
        var table = RouteFixture.Compile("server { server_name a; }");
        Assert.Equal("0.0.0.0:80", table.Listeners.Single().Address.ToString());
    }

    [Fact]
    public void Compile_SpecificAndWildcardOnOnePort_BindsWildcardOnly()
    {
        var table = RouteFixture.Compile("server { listen 8090; }\nserver { listen 127.0.0.1:8090; server_name b; }");
        var listener = Assert.Single(table.Listeners);
        Assert.Equal(1, listener.For(System.Net.IPAddress.Loopback).Default.Ordinal);
        Assert.Equal(0, listener.For(System.Net.IPAddress.Parse("10.0.0.1")).Default.Ordinal);
    }
}
