using NginxLite.Routing.Apps;

namespace NginxLite.Apps.Tests;

/// <summary>Every <see cref="ForkingPoolTests"/> case for a Rack app: the Ruby shim's --loader parses config.ru once
/// and forks the workers. Real ruby processes (Debian's ruby + ruby-rack).</summary>
public sealed class RackLoaderPoolTests : ForkingPoolTests
{
    private const string CountingRackup = """
        File.open(File.join(__dir__, 'loads.txt'), 'a') { |f| f.puts Process.pid }
        TAG = '@VERSION@'
        run(lambda do |env|
          sleep 30 if env['PATH_INFO'] == '/sleep'
          body = "pid=#{Process.pid} ppid=#{Process.ppid} uid=#{Process.uid} #{TAG}"
          [200, { 'Content-Type' => 'text/plain', 'Content-Length' => body.bytesize.to_s }, [body]]
        end)
        """;

    // The backtrace names config.ru's line.
    private protected override string[] LoadErrorLines => ["LoadError: cannot load such file -- no_such_gem_here", "config.ru:1:in "];

    private protected override AppSettings Forking(int processes = 2) =>
        new("t") { Rack = Path.Combine(Fixture.Dir.Path, "config.ru"), Chdir = Fixture.Dir.Path, Processes = processes, LazyApps = false };

    private protected override void WriteApp(string version) =>
        Fixture.Dir.File("config.ru", CountingRackup.Replace("@VERSION@", version, StringComparison.Ordinal));

    private protected override void WriteBrokenApp() =>
        Fixture.Dir.File("config.ru", "require 'no_such_gem_here'\nrun ->(env) { [200, {}, []] }\n");
}
