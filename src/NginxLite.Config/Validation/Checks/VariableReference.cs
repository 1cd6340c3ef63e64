namespace NginxLite.Config.Validation.Checks;

/// <summary>A <c>$name</c> or <c>${name}</c> found in a script, or the error nginx's script compiler gives for it.</summary>
internal readonly record struct VariableReference(string? Name, string? Error);
