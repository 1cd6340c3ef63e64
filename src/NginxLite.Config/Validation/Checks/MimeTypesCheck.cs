using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>[warn] duplicate extension "html", content type: "text/plain", previous content type: "text/html"</c>: ngx_http_core_type,
/// per <c>types { }</c> block, extensions lower-cased; the later type wins.
/// </summary>
public sealed class MimeTypesCheck : IConfigCheck
{
    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var types in ConfigTree.Named(config.Root, "types").Where(d => d.Syntax.HasBlock && ConfigTree.EnclosingHttp(d) is not null))
        {
            var byExtension = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in types.Children)
            {
                foreach (var extension in line.Arguments.Select(a => a.Value.ToLowerInvariant()))
                {
                    if (byExtension.TryGetValue(extension, out var previous))
                    {
                        scope.Warn(line, $"duplicate extension \"{extension}\", content type: \"{line.Name}\", previous content type: \"{previous}\"");
                    }

                    byExtension[extension] = line.Name;
                }
            }
        }
    }
}
