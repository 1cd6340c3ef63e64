using NginxLite.Ini.Loading;

namespace NginxLite.Ini.Tests.Loading;

public class IniLoaderTests
{
    private static string[] Pairs(IniDocument doc) =>
        [.. doc.Entries.Where(e => e.Kind == IniEntryKind.Option).Select(e => $"{e.Key}={e.Value}")];

    [Fact]
    public void Load_RepeatedKeys_KeptInOrder()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            env = A=1
            static-map = /a=/x
            env = B=2
            static-map = /b=/y
            """);
        var doc = IniFixture.Load(dir, "app.ini");
        Assert.True(doc.Ok);
        Assert.Equal(["env=A=1", "static-map=/a=/x", "env=B=2", "static-map=/b=/y"], Pairs(doc));
    }

    [Fact]
    public void Load_OtherSections_AreSkipped_AndFileColonSectionPicksOne()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            processes = 2
            [dev]
            processes = 1
            py-autoreload = 1
            """);
        Assert.Equal(["processes=2"], Pairs(IniFixture.Load(dir, "app.ini")));
        var dev = IniFixture.Load(dir, "app.ini:dev");
        Assert.Equal("dev", dev.Section);
        Assert.Equal(["processes=1", "py-autoreload=1"], Pairs(dev));
    }

    [Fact]
    public void Load_MissingSection_WarnsAsUwsgi()
    {
        using var dir = new TempDir();
        dir.File("app.ini", "[other]\nx = 1\n");
        var doc = IniFixture.Load(dir, "app.ini");
        Assert.True(doc.Ok);
        Assert.Contains(doc.Diagnostics, d => d.ToString().StartsWith("[warn] can't find section \"uwsgi\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Include_IsRelativeToTheIncludingFile_AndKeepsFileAndLine()
    {
        using var dir = new TempDir();
        dir.File("conf/app.ini", """
            [uwsgi]
            socket = :3031
            ini = common/base.ini
            chdir = %(root)
            """);
        dir.File("conf/common/base.ini", """
            [uwsgi]

            root = %d
            processes = 4
            """);
        var doc = IniFixture.Load(dir, "conf/app.ini");
        Assert.True(doc.Ok, string.Join("\n", doc.Diagnostics));
        var chdir = doc.Entries.Single(e => e.Key == "chdir");
        Assert.Equal(Path.Combine(dir.Path, "conf/common") + "/", chdir.Value);
        var processes = doc.Entries.Single(e => e.Key == "processes");
        Assert.Equal((Path.Combine(dir.Path, "conf/common/base.ini"), 4), (processes.Position.File, processes.Position.Line));
        Assert.Equal(2, doc.Files.Count);
    }

    [Fact]
    public void Load_IncludeWithSectionOnly_ReadsThatSectionOfTheLastFileRead()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            ini = :common
            module = app:app
            [common]
            processes = 3
            """);
        Assert.Equal(["processes=3", "module=app:app"], Pairs(IniFixture.Load(dir, "app.ini")));

        // ini.c's last_file: after another include, ":section" means that file (uWSGI then warns the section is missing).
        dir.File("other.ini", "[uwsgi]\nx = 1\n");
        dir.File("app2.ini", "[uwsgi]\nini = other.ini\nini = :common\n[common]\nprocesses = 3\n");
        var doc = IniFixture.Load(dir, "app2.ini");
        Assert.Equal(["x=1"], Pairs(doc));
        Assert.Contains(doc.Diagnostics, d => d.Message.StartsWith("can't find section \"common\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingInclude_IsAnErrorAtTheIncludeLine()
    {
        using var dir = new TempDir();
        dir.File("app.ini", "[uwsgi]\nini = file2.ini\n");
        var doc = IniFixture.Load(dir, "app.ini");
        var error = Assert.Single(doc.Diagnostics, d => d.IsError);
        Assert.Equal($"[emerg] open() \"{dir.Path}/file2.ini\" failed (2: No such file or directory) in {dir.Path}/app.ini:2", error.ToString());
    }

    [Fact]
    public void Load_IncludeCycle_IsAnErrorNotAHang()
    {
        using var dir = new TempDir();
        dir.File("a.ini", "[uwsgi]\nini = b.ini\n");
        dir.File("b.ini", "[uwsgi]\nini = a.ini\n");
        var doc = IniFixture.Load(dir, "a.ini");
        Assert.Contains(doc.Diagnostics, d => d.IsError && d.Message.Contains("includes itself", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Placeholder_IsTheFirstDefinition()
    {
        // uwsgi_get_exported_opt returns the first key with that name.
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            foo = 2
            bar = 9
            bar = %(foo bar ++)
            socket = :3031
            foobar = %(socket)
            """);
        var doc = IniFixture.Load(dir, "app.ini");
        Assert.Equal(["foo=2", "bar=9", "bar=30", "socket=:3031", "foobar=:3031"], Pairs(doc));
        Assert.Contains("foo", doc.PlaceholdersUsed);
    }

    [Fact]
    public void Load_SetPlaceholder_DefinesAVariableOnly()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            set-ph = base=/var/www
            set-placeholder = domain=uwsgi.it
            chdir = %(base)/%(domain)
            """);
        var doc = IniFixture.Load(dir, "app.ini");
        Assert.Equal(["chdir=/var/www/uwsgi.it"], Pairs(doc));
    }

    [Fact]
    public void Load_EnvironmentAndMagic_Expanded()
    {
        using var dir = new TempDir();
        dir.File("site.ini", "[uwsgi]\nsocket = /run/%n.sock\nhome = $(HOME)/venv\nlogto = /var/log/%n-%h.log\n");
        var doc = IniFixture.Load(dir, "site.ini");
        Assert.Equal(["socket=/run/site.sock", "home=/home/alice/venv", "logto=/var/log/site-testhost.log"], Pairs(doc));
    }

    [Fact]
    public void Load_PercentAtEndOfLine_JoinsTheNextLine_LinesStayTrue()
    {
        // uWSGI substitutes magic variables in the whole text: "%" + newline is an unknown magic variable, removed.
        using var dir = new TempDir();
        dir.File("app.ini", "[uwsgi]\nc = 50%\nd = 1\ne = 2\n");
        var doc = IniFixture.Load(dir, "app.ini");
        Assert.Equal(["c=50d = 1", "e=2"], Pairs(doc));
        Assert.Equal([2, 4], doc.Entries.Select(e => e.Position.Line));
    }

    [Fact]
    public void Load_MagicVariablesOfAnIncludedFile_AreThatFiles()
    {
        using var dir = new TempDir();
        dir.File("main.ini", "[uwsgi]\nini = sub/child.ini\nname = %n\n");
        dir.File("sub/child.ini", "[uwsgi]\nchild = %n %c %O\n");
        var doc = IniFixture.Load(dir, "main.ini");
        Assert.Equal(["child=child sub " + Path.Combine(dir.Path, "main.ini"), "name=main"], Pairs(doc));
    }

    [Fact]
    public void Load_ForLoop_RepeatsEachKeyPerItem()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            for = a b c
              socket = /var/run/%(_).socket
            endfor =
            module = app
            """);
        Assert.Equal(["socket=/var/run/a.socket", "socket=/var/run/b.socket", "socket=/var/run/c.socket", "module=app"],
            Pairs(IniFixture.Load(dir, "app.ini")));
    }

    [Fact]
    public void Load_IfEnv_EvaluatedAgainstTheEnvironment_ElseIsAPlainKeyAsInUwsgi2021()
    {
        using var dir = new TempDir();
        dir.File("app.ini", """
            [uwsgi]
            if-env = APP_ENV
            print = env is %(_)
            else =
            print = no env
            endif =
            if-not-env = NOPE
            processes = 2
            endif =
            if-exists = /definitely/not/here
            processes = 99
            endif =
            """);
        var passed = IniFixture.Load(dir, "app.ini");
        Assert.Equal(["print=env is prod", "else=", "print=no env", "processes=2"], Pairs(passed));
        Assert.Contains(passed.Diagnostics, d => d.Message.StartsWith("uWSGI 2.0.21 has no \"else\"", StringComparison.Ordinal));
        Assert.Equal(["processes=2"], Pairs(IniFixture.Load(dir, "app.ini", new Dictionary<string, string>())));
    }

    [Fact]
    public void Load_NestedLogic_IsAnError()
    {
        using var dir = new TempDir();
        dir.File("app.ini", "[uwsgi]\nfor = a b\nif-env = X\nendif =\nendfor =\n");
        Assert.Contains(IniFixture.Load(dir, "app.ini").Diagnostics, d => d.IsError && d.Message.Contains("nested", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Strict_IsRemembered()
    {
        using var dir = new TempDir();
        dir.File("app.ini", "[uwsgi]\nstrict = true\n");
        Assert.True(IniFixture.Load(dir, "app.ini").Strict);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("no", false)]
    [InlineData("Off", false)]
    public void Boolean_AsUwsgiOptTrue(string value, bool expected) => Assert.Equal(expected, IniBoolean.Parse(value));

    [Fact]
    public void Load_MissingMainFile_IsAnErrorWithoutPosition()
    {
        using var dir = new TempDir();
        var doc = IniFixture.Load(dir, "nope.ini");
        Assert.Equal($"[emerg] open() \"{dir.Path}/nope.ini\" failed (2: No such file or directory)", Assert.Single(doc.Diagnostics).ToString());
    }
}
