namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>valid_referers</c>: <c>none</c> accepts requests with no Referer at all, which any attacker can send
/// (a referrer check with "none" protects nothing against a forged request).
/// </summary>
internal sealed class ValidReferersNoneCheck : ISecurityCheck
{
    public string Id => "valid-referers-none";

    public void Run(LintContext context)
    {
        foreach (var node in context.All("valid_referers"))
        {
            if (node.Directive.Arguments.Any(a => a.Value == "none"))
            {
                context.Report(this, node, "valid_referers \"none\" trusts requests without a Referer header, which anyone can send");
            }
        }
    }
}
