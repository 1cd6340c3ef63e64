using System.Net;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Tests;

/// <summary>geo's proxy/proxy_recursive/ranges/default/delete as ngx_http_geo_module does them, and variable cycles
/// evaluated to nginx's depth (values checked against nginx 1.22.1).</summary>
public class GeoProxyAndCycleTests
{
    private const string Config = """
        geo $geo_proxy {
            proxy 127.0.0.1;
            proxy 10.0.0.0/8;
            default d;
            127.0.0.1 self;
            1.2.3.4 one;
            5.6.7.8 five;
            10.1.1.1 ten;
        }
        geo $geo_recursive {
            proxy 127.0.0.1;
            proxy 10.0.0.0/8;
            proxy_recursive;
            default d;
            127.0.0.1 self;
            1.2.3.4 one;
            5.6.7.8 five;
            10.1.1.1 ten;
        }
        geo $arg_ip $geo_v4_default {
            0.0.0.0/0 v4-only;
            2001:db8::/32 doc;
        }
        geo $arg_ip $geo_ranges {
            ranges;
            default none;
            10.0.0.0-10.0.0.255 outer;
            10.0.0.10-10.0.0.20 inner;
            10.0.0.10-10.0.0.20 inner-replaced;
            10.0.1.0-10.0.1.255 gone;
            delete 10.0.1.0-10.0.1.255;
            10.0.2.0-10.0.2.255 split;
            delete 10.0.2.10-10.0.2.20;
            10.255.255.0-11.0.0.255 across;
        }
        geo $arg_ip $geo_volatile {
            volatile;
            default v;
            10.0.0.0/8 ten;
        }
        map $arg_a $map_a { default "a:$map_b"; }
        map $arg_b $map_b { default "b:$map_a"; }
        map $arg_s $map_self { default "s:$map_self"; }
        server { listen 127.0.0.1:8080; return 200 "x"; }
        """;

    private static readonly RouteTable Table = RouteFixture.Compile(Config);

    private static string Eval(string text, TestState state) => ComplexValue.Parse(text, Table.Variables).Evaluate(state);

    private static TestState State(string remote = "127.0.0.1", string? xff = null, string? ip = null)
    {
        var state = new TestState(Table.UserVariableCount);
        state.Values["remote_addr"] = remote;
        if (xff is not null)
        {
            state.Values["http:x-forwarded-for"] = xff;
        }

        if (ip is not null)
        {
            state.Values["arg:ip"] = ip;
        }

        return state;
    }

    [Theory]
    [InlineData("127.0.0.1", null, "self", "self")]
    [InlineData("127.0.0.1", "5.6.7.8, 1.2.3.4", "one", "one")]
    [InlineData("127.0.0.1", "5.6.7.8, 10.1.1.1", "ten", "five")]
    [InlineData("127.0.0.1", "5.6.7.8, 10.1.1.2", "d", "five")]
    [InlineData("127.0.0.1", "5.6.7.8 , 10.1.1.2,9.9.9.9", "d", "d")]
    [InlineData("127.0.0.1", "garbage", "self", "self")]
    [InlineData("127.0.0.1", "5.6.7.8, garbage", "self", "self")]
    [InlineData("127.0.0.1", "garbage, 10.1.1.1", "ten", "ten")]
    [InlineData("127.0.0.1", "1.2.3.4:8080", "one", "one")]
    [InlineData("127.0.0.1", "10.1.1.1, 10.2.2.2", "d", "ten")]
    [InlineData("127.0.0.1", "5.6.7.8,,, ", "five", "five")]
    [InlineData("5.6.7.8", "1.2.3.4", "five", "five")]
    public void Geo_Proxy_TakesXForwardedForFromTrustedAddresses(string remote, string? xff, string proxy, string recursive)
    {
        Assert.Equal(proxy, Eval("$geo_proxy", State(remote, xff)));
        Assert.Equal(recursive, Eval("$geo_recursive", State(remote, xff)));
    }

    [Fact]
    public void Geo_ForwardedAddress_IPv6WithPort()
    {
        var proxies = new[] { new GeoNet(false, 32, 0x7f000001, 0) };
        var ip = GeoVariable.ForwardedAddress(IPAddress.Loopback, "[2001:db8::1]:443", proxies, recursive: false);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ip);
    }

    [Theory]
    [InlineData("1.2.3.4", "v4-only")]
    [InlineData("2001:db8::1", "doc")]
    [InlineData("2002::1", "")]
    [InlineData("not-an-address", "v4-only")]
    public void Geo_ZeroNetwork_IsTheIPv4DefaultOnly(string ip, string expected) =>
        Assert.Equal(expected, Eval("$geo_v4_default", State(ip: ip)));

    [Theory]
    [InlineData("10.0.0.5", "outer")]
    [InlineData("10.0.0.10", "inner-replaced")]
    [InlineData("10.0.0.20", "inner-replaced")]
    [InlineData("10.0.0.21", "outer")]
    [InlineData("10.0.1.7", "none")]
    [InlineData("10.0.2.9", "split")]
    [InlineData("10.0.2.15", "split")] // delete removes only a range exactly as stored
    [InlineData("10.255.255.1", "across")]
    [InlineData("11.0.0.255", "across")]
    [InlineData("11.0.1.0", "none")]
    [InlineData("2001:db8::1", "none")]
    public void Geo_Ranges_SplitReplaceAndDeleteAsNginx(string ip, string expected) =>
        Assert.Equal(expected, Eval("$geo_ranges", State(ip: ip)));

    [Fact]
    public void Geo_Volatile_IsRecomputedInTheSameRequest()
    {
        var state = State(ip: "10.0.0.1");
        Assert.Equal("ten", Eval("$geo_volatile", state));
        state.Values["arg:ip"] = "1.1.1.1";
        Assert.Equal("v", Eval("$geo_volatile", state));
    }

    [Fact]
    public void Map_MutualCycle_EvaluatesToNginxsDepthAndLogs()
    {
        var state = State();
        var value = Eval("$map_a", state);

        Assert.Equal(string.Concat(Enumerable.Repeat("a:b:", 50)), value);
        Assert.Equal(["cycle while evaluating variable \"arg_b\"", "cycle while evaluating variable \"map_a\""], state.Errors);
    }

    [Fact]
    public void Map_SelfReference_HundredLevels()
    {
        var state = State();
        Assert.Equal(string.Concat(Enumerable.Repeat("s:", 100)), Eval("$map_self", state));
        Assert.Equal(["cycle while evaluating variable \"arg_s\"", "cycle while evaluating variable \"map_self\""], state.Errors);
    }
}
