using NginxLite.Cli.Apps;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>gunicorn's <c>--bind</c> forms (gunicorn/util.py parse_address) as <c>listen</c> arguments.</summary>
public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8001", "127.0.0.1:8001")]
    [InlineData("0.0.0.0:8000", "0.0.0.0:8000")]
    [InlineData(":8002", "8002")]
    [InlineData("localhost", "localhost:8000")]
    [InlineData("tcp://127.0.0.1:9", "127.0.0.1:9")]
    [InlineData("[::1]:8003", "[::1]:8003")]
    [InlineData("unix:app.sock", "unix:/srv/start/app.sock")]
    [InlineData("unix:///run/app.sock", "unix:/run/app.sock")]
    public void ToListen_GunicornForms_NginxListen(string bind, string expected)
    {
        Assert.Equal(expected, BindAddress.ToListen(bind, "/srv/start", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("127.0.0.1:http", "'http' is not a valid port number.")]
    [InlineData("fd://3", "bind \"fd://3\" (an inherited file descriptor) is not supported: bind an address or unix:PATH")]
    public void ToListen_Unusable_Message(string bind, string expected)
    {
        Assert.Null(BindAddress.ToListen(bind, "/srv/start", out var error));
        Assert.Equal(expected, error);
    }
}
