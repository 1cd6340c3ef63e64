namespace NginxLite.Config.Validation;

/// <summary>nginx's log levels as they appear in messages: <c>[emerg]</c>, <c>[warn]</c> …</summary>
public enum Severity
{
    Emerg,
    Alert,
    Crit,
    Error,
    Warn,
    Notice,
    Info,
}
