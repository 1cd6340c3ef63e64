namespace NginxLite.Handlers.Privileged;

/// <summary>The helper refused a request (the allow-list or an executable check said no) or is gone.</summary>
public sealed class PrivilegedHelperException(string message) : Exception(message);
