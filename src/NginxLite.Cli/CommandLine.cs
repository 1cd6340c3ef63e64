namespace NginxLite.Cli;

/// <summary>nginx's command line: -t -T -q -c -p -e -g -s -v -V -h.</summary>
public static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("nginxlite: not implemented yet");
        return 1;
    }
}
