using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// ngx_http_log_module while reading: <c>unknown log format "x"</c> for an <c>access_log</c> naming a format no earlier
/// <c>log_format</c> defined (<c>combined</c> is built in; names compare case-insensitively), and
/// <c>duplicate "log_format" name "x"</c>.
/// </summary>
public sealed class LogFormatCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var formats = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "combined" };
            var exact = new HashSet<string>(StringComparer.Ordinal) { "combined" };
            foreach (var d in ConfigTree.All(http))
            {
                if (d.Name == "log_format" && d.Parent == http && d.Arguments.Count > 1)
                {
                    if (!exact.Add(d.Arg(0)))
                    {
                        scope.Emerg(d, $"duplicate \"log_format\" name \"{d.Arg(0)}\"");
                    }

                    formats.Add(d.Arg(0));
                }
                else if (d.Name == "access_log" && d.Arguments.Count > 1 && d.Arg(0) != "off" && !formats.Contains(d.Arg(1)))
                {
                    scope.Emerg(d, $"unknown log format \"{d.Arg(1)}\"");
                }
            }
        }
    }
}
