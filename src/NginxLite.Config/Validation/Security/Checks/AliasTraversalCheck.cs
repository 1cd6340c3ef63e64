namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>alias_traversal</c>: <c>location /i { alias /data/i/; }</c>. nginx swaps the location prefix for the
/// alias, so "/i../secret" becomes "/data/i/../secret" — one level above the alias. The fix is a trailing slash on
/// the location (or none on either). Without a slash on the alias too, "/i-x" still reaches the sibling "/data/i-x".
/// </summary>
internal sealed class AliasTraversalCheck : ISecurityCheck
{
    public string Id => "alias-traversal";

    public void Run(LintContext context)
    {
        foreach (var alias in context.All("alias"))
        {
            if (alias.Location is not { } location)
            {
                continue;
            }

            var loc = LocationArgs.Of(location);
            if (!loc.IsPrefix || loc.Path.EndsWith('/'))
            {
                continue;
            }

            var path = alias.Arg(0);
            var message = path.EndsWith('/')
                ? $"alias \"{path}\" of location \"{loc.Path}\" (no trailing slash) lets \"{loc.Path}../\" escape the alias (path traversal)"
                : $"alias \"{path}\" of location \"{loc.Path}\" (no trailing slash) maps \"{loc.Path}-x\" to the sibling \"{path}-x\" (partial path traversal)";
            context.Report(this, alias, message);
        }
    }
}
