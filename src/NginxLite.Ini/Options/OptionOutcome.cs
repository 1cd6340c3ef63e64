namespace NginxLite.Ini.Options;

/// <summary>What NginxLite does with a uWSGI option (the same three ways as nginx directives).</summary>
public enum OptionOutcome
{
    /// <summary>Becomes a NginxLite directive (or is done by the ini reader itself: includes, placeholders, logic).</summary>
    Mapped,

    /// <summary>Dropped; the reason says why that is safe.</summary>
    Ignored,

    /// <summary>Not available; the reason says what to do instead.</summary>
    Unsupported,

    /// <summary>Not a uWSGI option: a custom key, used as a placeholder variable.</summary>
    Unknown,
}
