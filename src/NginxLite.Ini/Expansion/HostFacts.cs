namespace NginxLite.Ini.Expansion;

/// <summary>The facts magic variables read from the machine (<c>%h %k %u %U %g %G %v %V</c>).</summary>
public sealed record HostFacts(
    string WorkingDirectory,
    string Hostname,
    int Cores,
    string Uid,
    string UserName,
    string Gid,
    string GroupName)
{
    /// <summary>uWSGI's <c>%V</c>: the version whose behaviour NginxLite follows.</summary>
    public const string UwsgiVersion = "2.0.21";

    public static HostFacts Current()
    {
        var (uid, gid) = ReadIds();
        return new HostFacts(
            Directory.GetCurrentDirectory(),
            Environment.MachineName,
            Environment.ProcessorCount,
            uid,
            Environment.UserName,
            gid,
            LookUpGroupName(gid));
    }

    /// <summary>Real uid and gid from /proc/self/status (no P/Invoke needed).</summary>
    private static (string Uid, string Gid) ReadIds()
    {
        string uid = "0", gid = "0";
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    uid = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                }
                else if (line.StartsWith("Gid:", StringComparison.Ordinal))
                {
                    gid = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                }
            }
        }
        catch (IOException)
        {
        }

        return (uid, gid);
    }

    private static string LookUpGroupName(string gid)
    {
        // /etc/group: name:x:gid:members — enough for %G without P/Invoking getgrgid_r.
        try
        {
            foreach (var line in File.ReadLines("/etc/group"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && f[2] == gid)
                {
                    return f[0];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return gid;
    }
}
