using NginxLite.Config.Binding;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Validation;

/// <summary>Runs every semantic check on a <see cref="TestTree"/> and returns the messages as nginx prints them after <c>nginx: </c>.</summary>
internal static class CheckRunner
{
    public static IReadOnlyList<string> Run(string config, bool checkEnvironment = true)
    {
        var bag = new DiagnosticBag();
        ConfigTest.RunChecks(TestTree.Parse(config), new BindScope(bag, new BindOptions { CheckEnvironment = checkEnvironment }));
        return [.. bag.InNginxOrder().Select(d => d.ToString())];
    }
}
