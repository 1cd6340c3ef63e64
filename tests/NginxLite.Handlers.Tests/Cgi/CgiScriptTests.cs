using NginxLite.Handlers.Cgi;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Cgi;

/// <summary>SCRIPT_NAME / PATH_INFO by walking the path (RFC 3875 §4.1.5, §4.1.13), and HTTP_* names (§4.1.18).</summary>
public class CgiScriptTests
{
    [Theory]
    [InlineData("/cgi-bin/app.py", "/cgi-bin/app.py", "")]
    [InlineData("/cgi-bin/app.py/extra/path", "/cgi-bin/app.py", "/extra/path")]
    [InlineData("/cgi-bin/app.py/", "/cgi-bin/app.py", "/")]
    [InlineData("/cgi-bin/sub/deep.cgi/x.py/y", "/cgi-bin/sub/deep.cgi", "/x.py/y")]
    public void Find_WalksToTheFirstFile(string uri, string scriptName, string pathInfo)
    {
        using var dir = new TempDir();
        dir.File("cgi-bin/app.py", "");
        dir.File("cgi-bin/sub/deep.cgi", "");
        var script = CgiScript.Find(dir.Path, dir.Path + uri, uri, out var status);
        Assert.NotNull(script);
        Assert.Equal(0, status);
        Assert.Equal(scriptName, script.ScriptName);
        Assert.Equal(pathInfo, script.PathInfo);
        Assert.Equal(dir.Path + scriptName, script.FileName);
    }

    [Theory]
    [InlineData("/cgi-bin/none.py", 404)]
    [InlineData("/nothing/app.py/x", 404)]
    [InlineData("/cgi-bin/", 403)]
    [InlineData("/cgi-bin", 403)]
    public void Find_MissingIs404_DirectoryIs403(string uri, int expected)
    {
        using var dir = new TempDir();
        dir.File("cgi-bin/app.py", "");
        Assert.Null(CgiScript.Find(dir.Path, dir.Path + uri, uri, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("nph-status.cgi", true)]
    [InlineData("status-nph.cgi", false)]
    public void IsNph_ByNamePrefix(string name, bool nph) =>
        Assert.Equal(nph, new CgiScript("/r/" + name, "/" + name, "").IsNph);

    [Theory]
    [InlineData("X-Forwarded-For", "HTTP_X_FORWARDED_FOR")]
    [InlineData("user-agent", "HTTP_USER_AGENT")]
    [InlineData("Proxy", null)]
    [InlineData("proxy", null)]
    [InlineData("Content-Type", null)]
    [InlineData("Content-Length", null)]
    [InlineData("X.Dotted", null)]
    public void HeaderVariable_NamesAndHttpoxy(string header, string? variable) =>
        Assert.Equal(variable, CgiEnvironment.HeaderVariable(header));
}
