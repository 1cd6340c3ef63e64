namespace NginxLite.Cli;

/// <summary><c>-v</c>, <c>-V</c> and <c>-h</c>, in nginx's layout.</summary>
internal static class VersionText
{
    public static void Write(TextWriter stderr, CommandLineOptions options)
    {
        stderr.WriteLine($"{ProductInfo.Name} version: {ProductInfo.Name}/{ProductInfo.Version} (nginx/{ProductInfo.NginxCompatibleVersion} compatible)");
        if (options.VersionAndConfigure)
        {
            stderr.WriteLine($"built with .NET {Environment.Version}");
            stderr.WriteLine("configure arguments: " + string.Join(' ', ConfigureArguments()));
        }

        if (options.Help)
        {
            stderr.Write(
                $"""

                Usage: {ProductInfo.Name} [-?hvVtTq] [-s signal] [-p prefix]
                             [-e filename] [-c filename] [-g directives]

                Options:
                  -?,-h         : this help
                  -v            : show version and exit
                  -V            : show version and configure options then exit
                  -t            : test configuration and exit
                  -T            : test configuration, dump it and exit
                  -q            : suppress non-error messages during configuration testing
                  -s signal     : send signal to a master process: stop, quit, reopen, reload
                  -p prefix     : set prefix path (default: {ProductInfo.DefaultPrefix})
                  -e filename   : set error log file (default: stderr)
                  -c filename   : set configuration file (default: {ConfigPathResolver.DisplayedDefault})
                  -g directives : set global directives out of configuration file
                  --ini file    : run a uWSGI ini file as `uwsgi --ini` does (FILE[:section]); with -t, test it;
                                  --strict: unknown keys are errors
                  --strict      : with -t, security lint findings ([security:ID] warnings) are errors
                  --origin-domains=a.com,b.org, --origin-https-only
                                : with -t, what the lint's origin/referrer regex check trusts
                  --json        : with -T, print the config as crossplane's JSON payload (also when the test fails)
                  --ignore-modules : load_module of a module NginxLite lacks is a warning, not an error

                       {ProductInfo.Name} migrate app.ini [--nginx site.conf] [-o out.conf] [--report file]
                                 [--report-format text|json] [--strict]
                                : print the NginxLite config that replaces uWSGI (and the nginx site)
                       {ProductInfo.Name} fmt [--check | -w] FILE... | -
                                : format configs (nginxfmt style; comments and every token kept)
                       {ProductInfo.Name} wsgi [gunicorn options] MODULE:CALLABLE
                                : serve a WSGI app as gunicorn does (-b, -w, --threads, -c gunicorn.conf.py …; -h)
                       {ProductInfo.Name} rack [rackup options] [config.ru]
                                : serve a Rack app as rackup does (-o, -p, --bind, -w, --threads …; -h)

                """);
        }
    }

    /// <summary>
    /// <c>--prefix</c> and friends, then one <c>--without-…_module</c> per standard module NginxLite does not
    /// implement, so tools that read <c>nginx -V</c> learn the truth.
    /// </summary>
    public static IEnumerable<string> ConfigureArguments()
    {
        yield return $"--prefix={ProductInfo.DefaultPrefix.TrimEnd('/')}";
        yield return $"--conf-path={ConfigPathResolver.DisplayedDefault}";
        yield return "--error-log-path=stderr";
        foreach (var module in ModuleSupport.UnimplementedModules())
        {
            yield return $"--without-{module}";
        }
    }
}
