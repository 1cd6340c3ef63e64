global using NginxLite.Handlers.Apps;
global using Xunit;
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
