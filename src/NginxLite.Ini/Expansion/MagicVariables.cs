using System.Text;

namespace NginxLite.Ini.Expansion;

/// <summary>
/// uWSGI's magic variables (<c>%d %n %e %p %s %c %x %o %O %v %h %k %u %U %g %G %V %0</c>…<c>%9</c> and <c>%%</c>), as
/// <c>config_magic_table_fill</c> in uWSGI's <c>core/utils.c</c> computes them for one config file. uWSGI replaces
/// them in the whole text of a file when it reads it, before splitting lines, so they see that file, not the includer.
/// <c>%(</c> is left for placeholder expansion; <c>%</c> followed by any other character that has no value is removed
/// with that character, as uWSGI 2.0.21 does (so <c>%x</c>, unset for ini files, is empty, and a <c>%</c> at the end of a
/// line joins the next line). Checked against <c>uwsgi --show-config</c> in the differential tests.
/// </summary>
public sealed class MagicVariables
{
    private readonly string?[] _table = new string?[128];

    /// <param name="fileAsWritten">The file name as given (<c>%o</c>): on the command line or in <c>ini =</c>.</param>
    /// <param name="absolutePath">Its absolute path (<c>%p</c>).</param>
    /// <param name="section">The section read, for <c>%x</c>.</param>
    /// <param name="mainFileAsWritten">The first file read (<c>%O</c>; <c>%D %N %P %C %S %E</c> are its <c>%d %n %p %c %s %e</c>).</param>
    /// <param name="host">Machine facts.</param>
    public MagicVariables(string fileAsWritten, string absolutePath, string section, string mainFileAsWritten, HostFacts host)
        : this(fileAsWritten, absolutePath, section, host)
    {
        var main = new MagicVariables(mainFileAsWritten, Path.GetFullPath(mainFileAsWritten, host.WorkingDirectory), section, host);
        Set('O', mainFileAsWritten);
        foreach (var c in "dnpcse")
        {
            if (main[c] is { } v)
            {
                Set(char.ToUpperInvariant(c), v);
            }
        }
    }

    private MagicVariables(string fileAsWritten, string absolutePath, string section, HostFacts host)
    {
        var name = Path.GetFileName(absolutePath);
        var dir = absolutePath[..(absolutePath.Length - name.Length)];
        Set('o', fileAsWritten);
        Set('p', absolutePath);
        Set('s', name);

        // %d keeps its trailing slash (uWSGI: "%dapp.py" is common); %c is the last directory's name.
        Set('d', dir);
        var trimmed = dir.TrimEnd('/');
        Set('c', trimmed[(trimmed.LastIndexOf('/') + 1)..]);
        var dot = fileAsWritten.LastIndexOf('.');
        if (dot >= 0 && fileAsWritten.IndexOf('/', dot) < 0)
        {
            Set('e', fileAsWritten[(dot + 1)..]);
        }

        var nameDot = name.LastIndexOf('.');
        if (nameDot >= 0)
        {
            Set('n', name[..nameDot]);
        }

        // uWSGI 2.0.21 sets %x (the section identifier) only for XML configs: empty in an ini.
        Set('x', "");
        _ = section;
        Set('v', host.WorkingDirectory);
        Set('h', host.Hostname);
        Set('k', host.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set('u', host.Uid);
        Set('U', host.UserName);
        Set('g', host.Gid);
        Set('G', host.GroupName);
        Set('V', HostFacts.UwsgiVersion);
        Set('%', "%");
        var digit = '0';
        foreach (var part in trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (digit > '9')
            {
                break;
            }

            Set(digit++, part);
        }
    }

    public string? this[char c] => c < _table.Length ? _table[c] : null;

    /// <summary>Replaces every <c>%X</c> in one left-to-right pass (no re-scan of what it inserts).</summary>
    public string Substitute(string text) => Substitute(text, out _);

    /// <summary>
    /// As <see cref="Substitute(string)"/>; <paramref name="lineMap"/>[n] is the 1-based line of the input where output line
    /// n+1 starts (they differ after a <c>%</c> that ended a line and joined the next one).
    /// </summary>
    public string Substitute(string text, out List<int> lineMap)
    {
        lineMap = [1];
        var line = 1;
        var builder = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 1 < text.Length && text[i + 1] != '(')
            {
                var next = text[i + 1];
                builder.Append(this[next] ?? "");
                if (next == '\n')
                {
                    line++;
                }

                i++;
                continue;
            }

            builder.Append(c);
            if (c == '\n')
            {
                lineMap.Add(++line);
            }
        }

        return builder.ToString();
    }

    private void Set(char c, string value) => _table[c] = value;
}
