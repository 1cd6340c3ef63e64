using NginxLite.Routing;

namespace NginxLite.Apps;

/// <summary>Where the supervisor writes its lines: the server's error log (nginx's format is the log's business).</summary>
public delegate void AppLogWriter(ErrorLevel level, string message);
