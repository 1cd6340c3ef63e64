namespace NginxLite.Config.Formatting;

/// <summary>Why a config cannot be formatted: nginx's own message for the syntax error and its line.</summary>
public sealed record FormatError(string Message, int Line);
