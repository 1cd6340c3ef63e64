using System.Net;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Tests;

/// <summary>map, geo and split_clients: compiled once, evaluated on first read, cached per request unless volatile.</summary>
public class ComputedVariableTests
{
    private const string Maps = """
        map $arg_m $mapped {
            default dflt;
            exact exact-value;
            ~^re-(?<word>[a-z]+)$ "regex $1 $word";
            ~*^CI- ci;
            \default escaped;
        }
        map $http_x_name $kind {
            hostnames;
            default none;
            example.com exact;
            *.example.com head;
            *.a.example.com longer-head;
            .example.org dot;
            www.example.* tail;
            ~^api\d+\. regex;
        }
        map $arg_v $vol {
            volatile;
            default $arg_v;
        }
        map $arg_v $cached {
            default $arg_v;
        }
        geo $arg_ip $geo {
            default d;
            10.0.0.0/8 ten;
            10.1.0.0/16 ten-one;
            10.1.2.3 host;
            192.168.1.0/24 gone;
            delete 192.168.1.0/24;
            2001:db8::/32 doc;
        }
        geo $arg_ip $ranges {
            ranges;
            default none;
            10.0.0.0-10.0.0.255 r1;
        }
        split_clients "$arg_s" $variant {
            50% half;
            * rest;
        }
        server { listen 127.0.0.1:8080; return 200 "$mapped"; }
        """;

    private static readonly RouteTable Table = RouteFixture.Compile(Maps);

    private static string Eval(string text, TestState state) => ComplexValue.Parse(text, Table.Variables).Evaluate(state);

    private static TestState Args(params (string Name, string Value)[] args)
    {
        var state = new TestState(Table.UserVariableCount);
        foreach (var (name, value) in args)
        {
            state.Values["arg:" + name] = value;
        }

        return state;
    }

    [Theory]
    [InlineData("exact", "exact-value")]
    [InlineData("EXACT", "exact-value")]
    [InlineData("re-abc", "regex abc abc")]
    [InlineData("ci-x", "ci")]
    [InlineData("default", "escaped")]
    [InlineData("other", "dflt")]
    public void Map_ExactCaseInsensitiveRegexDefault(string m, string expected) =>
        Assert.Equal(expected, Eval("$mapped", Args(("m", m))));

    [Theory]
    [InlineData("example.com", "exact")]
    [InlineData("example.com.", "exact")]
    [InlineData("x.example.com", "head")]
    [InlineData("b.a.example.com", "longer-head")]
    [InlineData("example.org", "dot")]
    [InlineData("x.example.org", "dot")]
    [InlineData("www.example.net", "tail")]
    [InlineData("api7.foo", "regex")]
    [InlineData("nothing", "none")]
    public void Map_Hostnames_WildcardsAsNginx(string name, string expected)
    {
        var state = new TestState(Table.UserVariableCount);
        state.Values["http:x-name"] = name;
        Assert.Equal(expected, Eval("$kind", state));
    }

    [Fact]
    public void Map_CachedPerRequest_VolatileRecomputed()
    {
        var state = Args(("v", "1"));
        Assert.Equal("1 1", Eval("$vol $cached", state));
        state.Values["arg:v"] = "2";
        Assert.Equal("2 1", Eval("$vol $cached", state));
    }

    [Theory]
    [InlineData("10.1.2.3", "host")]
    [InlineData("10.1.9.9", "ten-one")]
    [InlineData("10.9.9.9", "ten")]
    [InlineData("192.168.1.1", "d")]
    [InlineData("2001:db8::5", "doc")]
    [InlineData("::ffff:10.1.2.3", "host")]
    [InlineData("garbage", "d")]
    [InlineData("10", "d")]
    public void Geo_LongestPrefix(string ip, string expected) => Assert.Equal(expected, Eval("$geo", Args(("ip", ip))));

    [Fact]
    public void Geo_Ranges() =>
        Assert.Equal("r1 none", Eval("$ranges", Args(("ip", "10.0.0.7"))) + " " + Eval("$ranges", Args(("ip", "10.0.1.7"))));

    [Fact]
    public void Geo_ParseAddress_AsNgxInetAddr()
    {
        Assert.Equal(IPAddress.Parse("10.0.2.3"), GeoVariable.ParseAddress("10..2.3"));
        Assert.Equal(IPAddress.Broadcast, GeoVariable.ParseAddress("1.2.3.256"));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), GeoVariable.ParseAddress("010.1.2.3"));
    }

    [Fact]
    public void SplitClients_MurmurHash2_MatchesNginx()
    {
        var values = Enumerable.Range(0, 40).Select(i => Eval("$variant", Args(("s", i.ToString(System.Globalization.CultureInfo.InvariantCulture))))).ToHashSet();
        Assert.Equal(new HashSet<string> { "half", "rest" }, values);
    }
}
