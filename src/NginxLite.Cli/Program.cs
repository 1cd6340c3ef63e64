namespace NginxLite.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        RuntimeTuning.Apply();

        // fmt works on bytes (a Latin-1 config must come out byte for byte), so it gets the raw standard streams.
        return args is ["fmt", ..]
            ? FmtCommand.Run(args[1..], Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error)
            : CommandLine.Run(args, Console.Out, Console.Error);
    }
}
