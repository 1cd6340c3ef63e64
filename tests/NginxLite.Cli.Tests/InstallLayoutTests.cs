using System.Diagnostics;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests;

/// <summary>
/// The /etc/nginxlite layout: which config a binary without <c>-c</c> reads, and what <c>install.sh</c> writes and
/// <c>install.sh --uninstall</c> removes (run for real, on a temp root, from a pre-built STAGE so no build is needed).
/// </summary>
public sealed class InstallLayoutTests : IDisposable
{
    private readonly TempDir _root = new("nginxlite-install-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Resolve_ConfiguredPathExists_UsesIt()
    {
        var file = ConfigPathResolver.Resolve(null, "/usr/local/nginxlite/", "/etc/nginxlite/nginxlite.conf", p => p == "/etc/nginxlite/nginxlite.conf");
        Assert.Equal("/etc/nginxlite/nginxlite.conf", file);
    }

    [Fact]
    public void Resolve_ConfiguredPathMissing_FallsBackToShippedDefault()
    {
        var file = ConfigPathResolver.Resolve(null, "/usr/local/nginxlite/", "/etc/nginxlite/nginxlite.conf", _ => false);
        Assert.Equal("/usr/local/nginxlite/conf/nginxlite.conf", file);
    }

    [Fact]
    public void Resolve_DevelopmentBuild_UsesShippedDefault()
    {
        Assert.Equal("/p/conf/nginxlite.conf", ConfigPathResolver.Resolve(null, "/p/", null, _ => true));
    }

    [Theory]
    [InlineData("/etc/nginx/nginx.conf", "/etc/nginx/nginx.conf")]
    [InlineData("my.conf", "/p/my.conf")]
    public void Resolve_CommandLineC_WinsAndRelativeIsUnderPrefix(string c, string expected)
    {
        Assert.Equal(expected, ConfigPathResolver.Resolve(c, "/p/", "/etc/nginxlite/nginxlite.conf", _ => true));
    }

    [Fact]
    public void Version_UpperV_PrintsPrefixAndConfPathAsNginx()
    {
        var r = Support.CliRunner.Run("-V");
        var configure = r.StderrLines.Single(l => l.StartsWith("configure arguments:", StringComparison.Ordinal));
        // A development build has no conf path compiled in: nginx's own default, relative to the prefix.
        Assert.StartsWith($"configure arguments: --prefix={ProductInfo.DefaultPrefix.TrimEnd('/')} --conf-path={ConfigPathResolver.DisplayedDefault} ", configure, StringComparison.Ordinal);
        Assert.Equal(ConfigPathResolver.ConfiguredPath ?? "conf/nginxlite.conf", ConfigPathResolver.DisplayedDefault);
    }

    [Fact]
    public void InstallScript_FreshInstall_PutsConfigInSysconfdir()
    {
        var (rc, output) = Install();
        Assert.True(rc == 0, output);
        foreach (var name in new[] { "nginxlite.conf", "mime.types", "fastcgi_params", "fastcgi.conf", "uwsgi_params" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Conf, name)), File.ReadAllText(Etc(name)));
        }

        Assert.Equal(Path.Combine(Prefix, "nginxlite"), new FileInfo(Path.Combine(_root.Path, "bin", "nginxlite")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(_root.Path, "systemd", "system", "nginxlite.service")));
        Assert.False(File.Exists(Etc("nginxlite.conf.default")));
    }

    [Fact]
    public void InstallScript_ReinstallOverChangedConfig_KeepsItAndWritesDefault()
    {
        Assert.Equal(0, Install().Rc);
        File.AppendAllText(Etc("nginxlite.conf"), "# mine\n");
        var (rc, output) = Install();
        Assert.True(rc == 0, output);
        Assert.EndsWith("# mine\n", File.ReadAllText(Etc("nginxlite.conf")), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Conf, "nginxlite.conf")), File.ReadAllText(Etc("nginxlite.conf.default")));
        Assert.Contains($"kept your {Etc("nginxlite.conf")}", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Etc("mime.types.default")));
    }

    [Fact]
    public void InstallScript_UpgradeOfUnchangedConfig_ReplacesIt()
    {
        Assert.Equal(0, Install().Rc);
        File.AppendAllText(Path.Combine(Stage, "conf", "mime.types"), "# a newer release\n");
        Assert.Equal(0, Install().Rc);
        Assert.EndsWith("# a newer release\n", File.ReadAllText(Etc("mime.types")), StringComparison.Ordinal);
        Assert.False(File.Exists(Etc("mime.types.default")));
    }

    [Fact]
    public void InstallScript_Uninstall_RemovesOnlyWhatItInstalled()
    {
        Assert.Equal(0, Install().Rc);
        File.AppendAllText(Etc("nginxlite.conf"), "# mine\n");
        Assert.Equal(0, Install().Rc);
        File.WriteAllText(Etc("site.conf"), "# an operator's own file\n");
        File.WriteAllText(Path.Combine(Prefix, "logs", "access.log"), "a line\n");
        var unrelated = Path.Combine(_root.Path, "bin", "other-tool");
        File.WriteAllText(unrelated, "#!/bin/sh\n");

        var (rc, output) = Run("--uninstall");

        Assert.True(rc == 0, output);
        Assert.False(File.Exists(Path.Combine(Prefix, "nginxlite")));
        Assert.False(File.Exists(Path.Combine(_root.Path, "bin", "nginxlite")));
        Assert.False(File.Exists(Path.Combine(_root.Path, "systemd", "system", "nginxlite.service")));
        Assert.False(File.Exists(Path.Combine(_root.Path, "logrotate.d", "nginxlite")));
        Assert.False(File.Exists(Etc("mime.types")));
        Assert.False(File.Exists(Etc("nginxlite.conf.default")));
        Assert.EndsWith("# mine\n", File.ReadAllText(Etc("nginxlite.conf")), StringComparison.Ordinal);
        Assert.True(File.Exists(Etc("site.conf")));
        Assert.True(File.Exists(Path.Combine(Prefix, "logs", "access.log")));
        Assert.True(File.Exists(unrelated));
        Assert.Contains($"kept {Path.GetDirectoryName(Etc("x"))} with your files: nginxlite.conf site.conf", output, StringComparison.Ordinal);
    }

    private string Prefix => Path.Combine(_root.Path, "prefix");

    private string Stage => Path.Combine(_root.Path, "stage");

    private string Etc(string name) => Path.Combine(_root.Path, "etc", "nginxlite", name);

    /// <summary>A stand-in for the published build: a script that says its version, and the shipped conf/ and html/.</summary>
    private (int Rc, string Output) Install()
    {
        if (!Directory.Exists(Stage))
        {
            Directory.CreateDirectory(Path.Combine(Stage, "conf"));
            Directory.CreateDirectory(Path.Combine(Stage, "html"));
            foreach (var f in Directory.EnumerateFiles(RepoPaths.Conf).Where(f => !f.EndsWith(".service", StringComparison.Ordinal)))
            {
                File.Copy(f, Path.Combine(Stage, "conf", Path.GetFileName(f)));
            }

            foreach (var f in Directory.EnumerateFiles(Path.Combine(RepoPaths.Conf, "html")))
            {
                File.Copy(f, Path.Combine(Stage, "html", Path.GetFileName(f)));
            }

            var exe = Path.Combine(Stage, "nginxlite");
            File.WriteAllText(exe, "#!/bin/sh\necho 'nginxlite version: nginxlite/stage' >&2\n");
            File.SetUnixFileMode(exe, TempDir.ReadableDirectory | UnixFileMode.UserWrite);
            Directory.CreateDirectory(Path.Combine(_root.Path, "systemd"));
            Directory.CreateDirectory(Path.Combine(_root.Path, "logrotate.d"));
            Directory.CreateDirectory(Path.Combine(_root.Path, "bin"));
        }

        return Run();
    }

    private (int Rc, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/bash", [Path.Combine(RepoPaths.Root, "install.sh"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment["PREFIX"] = Prefix;
        psi.Environment["BINDIR"] = Path.Combine(_root.Path, "bin");
        psi.Environment["SYSCONFDIR"] = Path.Combine(_root.Path, "etc", "nginxlite");
        psi.Environment["UNITDIR"] = Path.Combine(_root.Path, "systemd", "system");
        psi.Environment["LOGROTATEDIR"] = Path.Combine(_root.Path, "logrotate.d");
        psi.Environment["STAGE"] = Stage;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
