using NginxLite.Cli.Apps;
using NginxLite.TestSupport;
using Xunit;

namespace NginxLite.Cli.Tests.Apps;

/// <summary>gunicorn.conf.py read as literals, never run.</summary>
public sealed class GunicornConfigFileTests
{
    [Fact]
    public void Read_SeedGunicornConfPy_BindWorkersThreadsWorkerClass()
    {
        var (s, diagnostics) = GunicornConfigFile.Read(Path.Combine(RepoPaths.Seed, "gunicorn.conf.py"));

        Assert.Empty(diagnostics);
        Assert.Equal(["0.0.0.0:8000"], s.Bind);
        Assert.Equal((4, 2, "sync"), (s.Workers, s.Threads, s.WorkerClass));
    }

    [Fact]
    public void Read_PreloadApp_ReadAsPreload()
    {
        using var dir = new TempDir();
        var file = dir.File("gunicorn.conf.py", "preload_app = True\n");

        var (s, diagnostics) = GunicornConfigFile.Read(file);

        Assert.Empty(diagnostics);
        Assert.True(s.Preload);
    }

    [Fact]
    public void Read_ImportAndCall_EmergNamingEachLine()
    {
        using var dir = new TempDir();
        var file = dir.File("gunicorn.conf.py", "import multiprocessing\nbind = '127.0.0.1:1'\nworkers = multiprocessing.cpu_count() * 2 + 1\n");

        var (s, diagnostics) = GunicornConfigFile.Read(file);

        Assert.Equal(["127.0.0.1:1"], s.Bind);
        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.True(d.IsError));
        Assert.Equal($"[emerg] only simple assignments \"name = literal\" (strings, numbers, booleans, None, lists, tuples, dicts) are read from a gunicorn config file, not \"import multiprocessing\"; set the value as a literal or pass it on the command line in {file}:1", diagnostics[0].ToString());
        Assert.EndsWith($"not \"workers = multiprocessing.cpu_count() * 2 + 1\"; set the value as a literal or pass it on the command line in {file}:3", diagnostics[1].ToString());
    }

    [Fact]
    public void Read_MultiLineListIgnoredSettingAndHook_ListReadWarnAndEmerg()
    {
        using var dir = new TempDir();
        var file = dir.File("gunicorn.conf.py", """
            bind = [
                '127.0.0.1:1',  # first
                'unix:/tmp/x.sock',
            ]
            raw_env = ["A=1", "B=2"]
            keepalive = 5
            my_own_variable = 3
            def on_starting(server):
                pass
            """);

        var (s, diagnostics) = GunicornConfigFile.Read(file);

        Assert.Equal(["127.0.0.1:1", "unix:/tmp/x.sock"], s.Bind);
        Assert.Equal(["A=1", "B=2"], s.RawEnv);
        string[] expected =
            [
                $"[warn] gunicorn setting \"keepalive\" is ignored by NginxLite: keep-alive is the HTTP front end's (keepalive_timeout) in {file}:6",
                $"[emerg] only simple assignments \"name = literal\" (strings, numbers, booleans, None, lists, tuples, dicts) are read from a gunicorn config file, not \"def on_starting(server):\"; set the value as a literal or pass it on the command line in {file}:8",
                $"[emerg] only simple assignments \"name = literal\" (strings, numbers, booleans, None, lists, tuples, dicts) are read from a gunicorn config file, not \"pass\"; set the value as a literal or pass it on the command line in {file}:9",
            ];
        Assert.Equal(expected.Order(), diagnostics.Select(d => d.ToString()).Order());
    }

    [Fact]
    public void Read_WrongType_Emerg()
    {
        using var dir = new TempDir();
        var file = dir.File("gunicorn.conf.py", "workers = 'four'\n");

        var (_, diagnostics) = GunicornConfigFile.Read(file);

        Assert.Equal($"[emerg] gunicorn setting \"workers\" must be a non-negative integer in {file}:1", Assert.Single(diagnostics).ToString());
    }
}
