using System.Text.RegularExpressions;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Tests;

/// <summary>A request state backed by a dictionary of built-ins ("host" → "example.com", "http:user-agent" → …).</summary>
internal sealed class TestState(int slots = 16) : IRequestState
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public string Uri { get; set; } = "/";

    public string Args { get; set; } = "";

    public Match? Captures { get; set; }

    public string?[] UserVariables { get; } = new string?[slots];

    /// <summary>What compiled values logged (<see cref="IRequestState.LogError"/>).</summary>
    public List<string> Errors { get; } = [];

    public void LogError(string message) => Errors.Add(message);

    public string? GetVariable(VariableRef variable) => variable.Kind switch
    {
        VariableKind.Http => Values.GetValueOrDefault("http:" + variable.Name),
        VariableKind.Arg => Values.GetValueOrDefault("arg:" + variable.Name),
        _ => Values.GetValueOrDefault(variable.Name),
    };
}
