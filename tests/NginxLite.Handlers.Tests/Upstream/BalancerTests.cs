using System.Net;
using NginxLite.Handlers.Upstream;
using NginxLite.Routing.Upstreams;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers.Tests.Upstream;

public class BalancerTests
{
    private static PeerGroup Group(BalancerKind kind, params UpstreamServer[] servers) =>
        new UpstreamPeers().Group(new UpstreamGroup("g", servers) { Balancer = kind });

    private static UpstreamServer S(string address, int weight = 1, bool backup = false, bool down = false, int maxFails = 1) =>
        new(address, weight, maxFails, TimeSpan.FromSeconds(10), backup, down);

    private static string PickAndFree(PeerGroup group, IPAddress? client = null, IRequestState? state = null)
    {
        var peer = group.Pick([], client, state, 0)!;
        group.Free(peer, failed: false);
        return peer.Name;
    }

    [Fact]
    public void RoundRobin_Weights511_NginxSmoothSequence()
    {
        // The sequence ngx_http_upstream_get_peer gives for weights 5, 1, 1 (nginx commit 52327e0627f4).
        var group = Group(BalancerKind.RoundRobin, S("a:1", 5), S("b:1"), S("c:1"));
        var sequence = string.Join(" ", Enumerable.Range(0, 7).Select(_ => PickAndFree(group)[..1]));
        Assert.Equal("a a b a c a a", sequence);
    }

    [Fact]
    public void RoundRobin_Distribution_FollowsWeights()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1", 3), S("b:1", 2), S("c:1", 1));
        var counts = Enumerable.Range(0, 600).Select(_ => PickAndFree(group)).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(300, counts["a:1"]);
        Assert.Equal(200, counts["b:1"]);
        Assert.Equal(100, counts["c:1"]);
    }

    [Fact]
    public void RoundRobin_DownAndBackup_BackupOnlyWhenPrimariesUnavailable()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1"), S("b:1", down: true), S("c:1", backup: true));
        Assert.All(Enumerable.Range(0, 10).Select(_ => PickAndFree(group)), n => Assert.Equal("a:1", n));

        // a fails once (max_fails=1): unavailable for fail_timeout, so the backup serves.
        var a = group.Pick([], null, null, 0)!;
        group.Free(a, failed: true);
        Assert.Equal("c:1", PickAndFree(group));
    }

    [Fact]
    public void Failures_MaxFails_MarksPeerUnavailable_OthersServe()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1", maxFails: 2), S("b:1", maxFails: 2));
        var tried = new HashSet<int>();
        var first = group.Pick(tried, null, null, 0)!;
        group.Free(first, failed: true);
        var again = group.Pick([], null, null, 0)!;
        group.Free(again, failed: false);

        // One failure of two allowed: the peer is still chosen in turn.
        var names = Enumerable.Range(0, 4).Select(_ => PickAndFree(group)).ToList();
        Assert.Contains(first.Name, names);

        var failing = group.Peers.First(p => p.Name == first.Name);
        for (var i = 0; i < 2; i++)
        {
            var p = group.Pick([], null, null, 0)!;
            group.Free(p, failed: p == failing);
            if (p != failing)
            {
                i--;
            }
        }

        Assert.All(Enumerable.Range(0, 6).Select(_ => PickAndFree(group)), n => Assert.NotEqual(first.Name, n));
    }

    // ngx_http_upstream_free_round_robin_peer takes weight / max_fails (integer division) from the effective weight:
    // 1 / 3 is 0, so a peer failed once of three allowed keeps its turn (nginx 1.22.1 agrees: NoLiveUpstreamsTests mf3).
    [Fact]
    public void Failures_WeightBelowMaxFails_EffectiveWeightKept_TurnComesBack()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1", maxFails: 3), S("b:1", maxFails: 3));
        var tried = new HashSet<int>();
        var a = group.Pick(tried, null, null, 0)!;
        Assert.Equal("a:1", a.Name);
        group.Free(a, failed: true);
        var b = group.Pick(tried, null, null, 1)!;
        Assert.Equal("b:1", b.Name);
        group.Free(b, failed: false);

        Assert.Equal("b:1", PickAndFree(group));
        Assert.Equal("a:1", PickAndFree(group));
    }

    [Fact]
    public void SinglePeer_NeverMarkedFailed()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1"));
        for (var i = 0; i < 5; i++)
        {
            var p = group.Pick([], null, null, 0)!;
            group.Free(p, failed: true);
        }

        Assert.Equal("a:1", PickAndFree(group));
    }

    [Fact]
    public void Pick_TriedPeers_Skipped_ThenNone()
    {
        var group = Group(BalancerKind.RoundRobin, S("a:1"), S("b:1"));
        var tried = new HashSet<int>();
        var first = group.Pick(tried, null, null, 0)!;
        var second = group.Pick(tried, null, null, 0)!;
        Assert.NotEqual(first.Name, second.Name);
        Assert.Null(group.Pick(tried, null, null, 0));
    }

    [Fact]
    public void LeastConn_PrefersFewestActiveConnections()
    {
        var group = Group(BalancerKind.LeastConn, S("a:1"), S("b:1"), S("c:1"));
        var held1 = group.Pick([], null, null, 0)!;
        var held2 = group.Pick([], null, null, 0)!;
        Assert.NotEqual(held1.Name, held2.Name);
        var third = group.Pick([], null, null, 0)!;
        Assert.NotEqual(held1.Name, third.Name);
        Assert.NotEqual(held2.Name, third.Name);
        group.Free(held1, false);
        Assert.Equal(held1.Name, PickAndFree(group));
    }

    [Fact]
    public void IpHash_SameSlash24_SamePeer_SpreadAcrossClients()
    {
        var group = Group(BalancerKind.IpHash, S("a:1"), S("b:1"), S("c:1"));
        var one = PickAndFree(group, IPAddress.Parse("10.1.2.3"));
        Assert.Equal(one, PickAndFree(group, IPAddress.Parse("10.1.2.200")));
        var spread = Enumerable.Range(0, 200).Select(i => PickAndFree(group, IPAddress.Parse($"10.{i}.{i * 7 % 256}.1"))).Distinct().Count();
        Assert.Equal(3, spread);
    }

    [Fact]
    public void Hash_Consistent_RemovingAPeer_MovesOnlyItsKeys()
    {
        var variables = new VariableTable();
        var key = ComplexValue.Parse("$uri", variables);
        UpstreamGroup Config(params string[] names) =>
            new("g", names.Select(n => S(n)).ToArray()) { Balancer = BalancerKind.Hash, HashKey = key, HashConsistent = true };

        var four = new UpstreamPeers().Group(Config("a:1", "b:1", "c:1", "d:1"));
        var three = new UpstreamPeers().Group(Config("a:1", "b:1", "c:1"));
        var moved = 0;
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 2000; i++)
        {
            var state = new UriState("/k" + i);
            var before = PickAndFree(four, state: state);
            var after = PickAndFree(three, state: state);
            counts[before] = counts.GetValueOrDefault(before) + 1;
            if (before != "d:1")
            {
                Assert.Equal(before, after);
            }
            else
            {
                moved++;
            }
        }

        Assert.All(counts.Values, c => Assert.InRange(c, 300, 700));
        Assert.InRange(moved, 300, 700);
    }

    [Fact]
    public void Hash_Plain_SameKeySamePeer()
    {
        var variables = new VariableTable();
        var group = new UpstreamPeers().Group(new UpstreamGroup("g", [S("a:1"), S("b:1"), S("c:1")])
        {
            Balancer = BalancerKind.Hash,
            HashKey = ComplexValue.Parse("$uri", variables),
        });
        for (var i = 0; i < 50; i++)
        {
            var state = new UriState("/x" + i);
            Assert.Equal(PickAndFree(group, state: state), PickAndFree(group, state: state));
        }

        Assert.Equal(3, Enumerable.Range(0, 300).Select(i => PickAndFree(group, state: new UriState("/y" + i))).Distinct().Count());
    }

    private sealed class UriState(string uri) : IRequestState
    {
        public string Uri { get; set; } = uri;

        public string Args { get; set; } = "";

        public System.Text.RegularExpressions.Match? Captures { get; set; }

        public string?[] UserVariables { get; } = new string?[4];

        public string? GetVariable(VariableRef variable) => null;
    }
}
