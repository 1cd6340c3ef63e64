// The interop tests start Linux server processes (Debian's nginx, nginxlite) and signal them by PID.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
