using NginxLite.Handlers.Privileged;
using NginxLite.TestSupport;

namespace NginxLite.Handlers.Tests.Privileged;

/// <summary>
/// <see cref="ConfigFileTrust"/> on real files (the tests run as root): the root helper believes a configuration file,
/// and each included one, only when root owns it and neither group nor others may write it (docs/cgi.md,
/// "Privileged helper"); a refusal is an [alert] line and no grant.
/// </summary>
public sealed class ConfigFileTrustTests : IDisposable
{
    private readonly TempDir _dir = new("nginxlite-conftrust-");

    public ConfigFileTrustTests() => TestUsers.Ensure();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_RootOwnedNotWritableByOthers_Trusted()
    {
        var main = Conf("nginx.conf", 0b110_100_100);
        var included = Conf("conf.d/a.conf", 0b110_000_000);

        Assert.Null(ConfigFileTrust.Check([main, included], 0));
    }

    [Fact]
    public void Check_OwnedByServerUser_Refused()
    {
        var main = Conf("nginx.conf", 0b110_100_100);
        TestUsers.Run("chown", TestUsers.Cgi, main);

        var reason = ConfigFileTrust.Check([main], 0);

        Assert.Equal($"configuration file \"{main}\" is owned by uid {TestUsers.Uid(TestUsers.Cgi)}, not by root", reason);
    }

    [Fact]
    public void Check_GroupWritable_Refused()
    {
        var main = Conf("nginx.conf", 0b110_110_100);

        Assert.Equal($"configuration file \"{main}\" is writable by group", ConfigFileTrust.Check([main], 0));
    }

    [Fact]
    public void Check_OtherWritable_Refused()
    {
        var main = Conf("nginx.conf", 0b110_100_110);

        Assert.Equal($"configuration file \"{main}\" is writable by others", ConfigFileTrust.Check([main], 0));
    }

    [Fact]
    public void Check_IncludedFileOwnedByServerUser_RefusedNamingIt()
    {
        var main = Conf("nginx.conf", 0b110_100_100);
        var included = Conf("conf.d/evil.conf", 0b110_100_100);
        TestUsers.Run("chown", TestUsers.Cgi, included);

        var reason = ConfigFileTrust.Check([main, included], 0);

        Assert.Equal($"configuration file \"{included}\" is owned by uid {TestUsers.Uid(TestUsers.Cgi)}, not by root", reason);
    }

    [Fact]
    public void Check_OwnedByStartingUid_Trusted()
    {
        // A server started by another uid than root trusts files that uid owns (the helper runs as that uid).
        var main = Conf("nginx.conf", 0b110_100_100);
        TestUsers.Run("chown", TestUsers.Cgi, main);

        Assert.Null(ConfigFileTrust.Check([main], (uint)TestUsers.Uid(TestUsers.Cgi)));
    }

    [Fact]
    public void Trusted_UntrustedConfiguration_AlertLoggedAndNothingGranted()
    {
        var main = Conf("nginx.conf", 0b110_100_110);
        using var log = new StringWriter();
        var read = PrivilegedHelperLoop.Trusted(() =>
        {
            ConfigFileTrust.Demand([main], 0);
            return HelperGrants.None;
        }, log);

        Assert.Null(read());
        Assert.Equal($"nginxlite: [alert] privileged helper: refusing to trust the configuration: configuration file \"{main}\" is writable by others; only the start's accounts and logs are allowed",
            log.ToString().TrimEnd());
    }

    [Fact]
    public void Trusted_TrustedConfiguration_Read()
    {
        var main = Conf("nginx.conf", 0b110_100_100);
        using var log = new StringWriter();
        var read = PrivilegedHelperLoop.Trusted(() =>
        {
            ConfigFileTrust.Demand([main], 0);
            return HelperGrants.None;
        }, log);

        Assert.Same(HelperGrants.None, read());
        Assert.Equal("", log.ToString());
    }

    private string Conf(string name, int mode)
    {
        var path = _dir.File(name, "events {}\n");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }
}
