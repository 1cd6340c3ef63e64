using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>valid_referers</c> lines of one block fill one hash (ngx_http_add_referer): a host name given twice is
/// <c>conflicting parameter "x"</c>, reported while reading the line that repeats it. Keywords and <c>~regex</c>
/// entries are not hashed.
/// </summary>
public sealed class ValidReferersCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var block in config.Root.Descendants().Where(d => d.Children.Count > 0).Prepend(config.Root))
        {
            HashSet<string>? seen = null;
            foreach (var line in block.Children)
            {
                if (line.Name != "valid_referers" || line.Spec is null)
                {
                    continue;
                }

                seen ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var arg in line.Arguments)
                {
                    var value = arg.Value;
                    if (value is "none" or "blocked" or "server_names" || value.StartsWith('~'))
                    {
                        continue;
                    }

                    if (!seen.Add(value))
                    {
                        scope.Emerg(line, $"conflicting parameter \"{value}\"");
                        break;
                    }
                }
            }
        }
    }
}
