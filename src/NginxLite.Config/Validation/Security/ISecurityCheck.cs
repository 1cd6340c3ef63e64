namespace NginxLite.Config.Validation.Security;

/// <summary>One check of the security lint (docs/security-lint.md): looks at the tree, reports findings.</summary>
public interface ISecurityCheck
{
    /// <summary>The id printed in <c>[security:ID]</c> and named by <c># nginxlite: allow ID</c>.</summary>
    string Id { get; }

    void Run(LintContext context);
}
