namespace NginxLite.Config.Syntax;

/// <summary>How an argument was written in the source; nginx treats the value the same either way.</summary>
public enum ArgumentQuote
{
    None,
    Single,
    Double,
}
