using System.Text.RegularExpressions;

namespace NginxLite.Routing.Variables;

/// <summary>
/// What compiled values and rewrite programs read and change about one request. The server implements it once per
/// request; tests implement it with a dictionary. Built-in variables are asked by kind, never by parsing a name.
/// </summary>
public interface IRequestState
{
    /// <summary>The value of a built-in variable; null when it is not found (nginx's "not found", printed as empty).</summary>
    string? GetVariable(VariableRef variable);

    /// <summary>The decoded, normalized URI (<c>$uri</c>), changed by <c>rewrite</c>.</summary>
    string Uri { get; set; }

    /// <summary>The query string without <c>?</c> (<c>$args</c>), changed by <c>rewrite</c> and <c>set $args</c>.</summary>
    string Args { get; set; }

    /// <summary>The latest regex match ($1…$9), with the string it ran on.</summary>
    Match? Captures { get; set; }

    /// <summary>User variables (<c>set</c>, named captures) by slot.</summary>
    string?[] UserVariables { get; }

    /// <summary>Writes an <c>[error]</c> line about this request to the error log (nothing by default).</summary>
    void LogError(string message)
    {
    }
}
