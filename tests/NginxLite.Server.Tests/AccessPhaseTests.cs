using System.Text;

namespace NginxLite.Server.Tests;

/// <summary>satisfy any|all over allow/deny and auth_basic, and the password schemes of ngx_crypt (outcomes checked
/// against nginx 1.22.1).</summary>
public class AccessPhaseTests
{
    private const string Users = """
        # comment line
        alice:{PLAIN}secret
        apr:$apr1$abcdefgh$FBwExRW4dCc8aL.OvjpIE1
        sha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=
        ssha:{SSHA}q0TrTKgCbere5nXa6iXN6BoYTpRzYWx0aWU=
        md5:$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/
        sha256:$5$saltsalt$gOjOtoMpVhru2uyjeJSEc/JaLQWOXMNmlOnj6T4AtC.
        sha512:$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/:extra:fields
        """;

    private static readonly Dictionary<string, string> Files = new()
    {
        ["html/index.html"] = "home\n",
        ["htpasswd"] = Users,
    };

    private const string Config = """
        types { text/html html; }
        server {
            listen 127.0.0.1:PORT;
            root html;
            auth_basic_user_file htpasswd; # relative to the config file's directory
            location /any/ { alias html/; satisfy any; deny all; auth_basic "R"; }
            location /all/ { alias html/; satisfy all; allow 127.0.0.1; auth_basic "R"; }
            location /alld/ { alias html/; satisfy all; deny all; auth_basic "R"; }
            location /anyallow/ { alias html/; satisfy any; allow 127.0.0.1; deny all; auth_basic "R"; }
            location /anydeny/ { alias html/; satisfy any; deny all; }
            location /realm/ { alias html/; auth_basic "$arg_realm"; }
            location /nofile/ { alias html/; auth_basic "R"; auth_basic_user_file /nonexistent/htpasswd; }
            location /user/ { return 200 "user=$remote_user\n"; }
        }
        """;

    private static string Basic(string user, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.Latin1.GetBytes(user + ":" + password));

    [Theory]
    [InlineData("/any/index.html", null, 401)]
    [InlineData("/any/index.html", "alice:secret", 200)]
    [InlineData("/any/index.html", "alice:bad", 401)]
    [InlineData("/any/index.html", "nobody:x", 401)]
    [InlineData("/all/index.html", null, 401)]
    [InlineData("/all/index.html", "alice:secret", 200)]
    [InlineData("/all/index.html", "alice:bad", 401)]
    [InlineData("/alld/index.html", null, 403)]
    [InlineData("/alld/index.html", "alice:secret", 403)]
    [InlineData("/anyallow/index.html", null, 200)]
    [InlineData("/anyallow/index.html", "alice:bad", 200)]
    [InlineData("/anydeny/index.html", null, 403)]
    [InlineData("/nofile/index.html", "alice:secret", 403)]
    public async Task Satisfy_CombinesAccessRulesAndBasicAuthAsNginx(string path, string? credentials, int status)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        string[] headers = credentials is null ? [] : [Basic(credentials.Split(':')[0], credentials.Split(':')[1])];
        var r = await s.SendAsync(path, "GET", "localhost", headers);
        Assert.Equal(status, r.Status);
        Assert.Equal(status == 401 ? "Basic realm=\"R\"" : null, r.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("apr")]
    [InlineData("sha")]
    [InlineData("ssha")]
    [InlineData("md5")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    public async Task BasicAuth_PasswordSchemes_AcceptTheRightPasswordOnly(string user)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(200, (await s.SendAsync("/all/index.html", "GET", "localhost", Basic(user, "password"))).Status);
        Assert.Equal(401, (await s.SendAsync("/all/index.html", "GET", "localhost", Basic(user, "passwore"))).Status);
    }

    [Fact]
    public async Task BasicAuth_Logs_AsNginx()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        await s.SendAsync("/all/index.html", "GET", "localhost", Basic("alice", "bad"));
        await s.SendAsync("/all/index.html", "GET", "localhost", Basic("nobody", "x"));
        await s.SendAsync("/any/index.html");
        await s.SendAsync("/alld/index.html");
        var log = s.ReadLog("error.log");
        Assert.Contains("user \"alice\": password mismatch, client: 127.0.0.1", log, StringComparison.Ordinal);
        Assert.Contains($"user \"nobody\" was not found in \"{s.Prefix}htpasswd\"", log, StringComparison.Ordinal);
        Assert.Contains("[error]", log, StringComparison.Ordinal);
        Assert.Single(log.Split('\n'), l => l.Contains("access forbidden by rule", StringComparison.Ordinal)); // not with satisfy any
    }

    [Fact]
    public async Task BasicAuth_RealmOffFromAVariable_Disables()
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal(200, (await s.SendAsync("/realm/index.html?realm=off")).Status);
        var r = await s.SendAsync("/realm/index.html?realm=Zone");
        Assert.Equal(401, r.Status);
        Assert.Equal("Basic realm=\"Zone\"", r.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("Authorization: Basic YWxpY2U6c2VjcmV0", "alice")]
    [InlineData("Authorization: basic    YWxpY2U6c2VjcmV0", "alice")]
    [InlineData("Authorization: Basic YWxpY2U6", "alice")]
    [InlineData("Authorization: Basic YWxpY2U", "")]
    [InlineData("Authorization: Bearer YWxpY2U6c2VjcmV0", "")]
    [InlineData("Authorization: Basic !!!!", "")]
    public async Task RemoteUser_ParsedFromTheHeader(string header, string user)
    {
        await using var s = await TestServer.StartAsync(Config, Files);
        Assert.Equal($"user={user}\n", (await s.SendAsync("/user/", "GET", "localhost", header)).Body);
    }
}
