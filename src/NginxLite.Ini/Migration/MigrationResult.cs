using NginxLite.Config.Validation;

namespace NginxLite.Ini.Migration;

/// <summary>The outcome of <c>nginxlite migrate</c>.</summary>
/// <param name="Config">The NginxLite config text (null when the ini could not be read at all).</param>
/// <param name="Translation">The translated ini.</param>
/// <param name="Diagnostics">Every message: reading, translating, the nginx site.</param>
public sealed record MigrationResult(string? Config, AppTranslation Translation, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>0: everything mapped or ignored; 2: something unsupported (the config is still printed); 1: errors.</summary>
    public int ExitCode => HasErrors ? 1 : Translation.HasUnsupported ? 2 : 0;
}
