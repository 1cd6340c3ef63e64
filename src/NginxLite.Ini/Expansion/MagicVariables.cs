using System.Text;

namespace NginxLite.Ini.Expansion;

/// <summary>
/// uWSGI's magic variables (<c>%d %n %e %p %s %c %x %o %O %v %h %k %u %U %g %G %V %0</c>…<c>%9</c> and <c>%%</c>), as
/// <c>config_magic_table_fill</c> in uWSGI's <c>core/utils.c</c> computes them for one config file. uWSGI replaces
/// them in the whole text of a file when it reads it, before splitting lines, so they see that file, not the includer.
/// A <c>%</c> followed by any other character (notably <c>%(</c>) is left for placeholder expansion.
/// </summary>
public sealed class MagicVariables
{
    private readonly string?[] _table = new string?[128];

    /// <param name="fileAsWritten">The file name as given (<c>%o</c>): on the command line or in <c>ini =</c>.</param>
    /// <param name="absolutePath">Its absolute path (<c>%p</c>).</param>
    /// <param name="section">The section read, for <c>%x</c>.</param>
    /// <param name="mainFileAsWritten">The first file read (<c>%O</c>).</param>
    /// <param name="host">Machine facts.</param>
    public MagicVariables(string fileAsWritten, string absolutePath, string section, string mainFileAsWritten, HostFacts host)
    {
        var name = Path.GetFileName(absolutePath);
        var dir = absolutePath[..(absolutePath.Length - name.Length)];
        Set('o', fileAsWritten);
        Set('O', mainFileAsWritten);
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

        Set('x', $"{name}:{section}");
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

    /// <summary>Replaces every <c>%X</c> whose X is in the table, in one left-to-right pass (no re-scan of what it inserts).</summary>
    public string Substitute(string text)
    {
        var first = text.IndexOf('%');
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 32).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 1 < text.Length && this[text[i + 1]] is { } value)
            {
                builder.Append(value);
                i++;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private void Set(char c, string value) => _table[c] = value;
}
