using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Cli;

/// <summary>
/// <c>-t</c> / <c>-T</c>: check the configuration and say so in nginx's words. Unlike nginx, every error is
/// printed (nginx stops at the first); they come in the order nginx meets them, so the first is nginx's.
/// </summary>
internal static class ConfigTestCommand
{
    public static int Run(string configFile, string prefix, CommandLineOptions options, TextWriter stdout, ErrorLogSink log)
    {
        var load = new LoadOptions
        {
            ConfigDirectory = Path.GetDirectoryName(configFile),
            GlobalDirectives = options.GlobalDirectives,
        };
        var result = ConfigTest.Run(configFile, load, new BindOptions { Prefix = prefix });
        if (result.Ok && result.Bound is not null && result.Bound.Root.Descendants().Any(d => d.Name == "ini" && d.Parent?.Name == "app"))
        {
            // An app's `ini FILE;` is read by the compiler (the Ini project's loader): its errors are -t errors too.
            var table = Routing.Compilation.RouteTableCompiler.Compile(result.Bound, prefix, load.ConfigDirectory);
            result = result with { Diagnostics = [.. result.Diagnostics, .. table.CompileDiagnostics] };
        }

        var syntaxOkSaid = false;
        var errors = 0;
        foreach (var diagnostic in result.Diagnostics)
        {
            if (!syntaxOkSaid && diagnostic.AfterParse && errors == 0 && result.SyntaxOk)
            {
                SaySyntaxOk(configFile, options, log);
                syntaxOkSaid = true;
            }

            log.Write(diagnostic);
            if (diagnostic.IsError)
            {
                errors++;
            }
        }

        if (!syntaxOkSaid && errors == 0)
        {
            SaySyntaxOk(configFile, options, log);
        }

        if (options.TestAndDump && options.Json)
        {
            using var json = new MemoryStream();
            CrossplanePayload.Write(configFile, load, result.Diagnostics, json);
            stdout.Write(System.Text.Encoding.UTF8.GetString(json.GetBuffer(), 0, (int)json.Length));
            stdout.Write('\n');
            stdout.Flush();
        }

        if (errors > 0)
        {
            log.Notice($"configuration file {configFile} test failed");
            return 1;
        }

        if (!options.Quiet)
        {
            log.Notice($"configuration file {configFile} test is successful");
        }

        if (options.TestAndDump && !options.Json)
        {
            ConfigDump.Write(result.Document, stdout);
        }

        return 0;
    }

    private static void SaySyntaxOk(string configFile, CommandLineOptions options, ErrorLogSink log)
    {
        if (!options.Quiet)
        {
            log.Notice($"the configuration file {configFile} syntax is ok");
        }
    }
}
