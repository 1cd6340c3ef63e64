// Worker processes, Unix sockets, uid switches, /proc: the app supervisor is Linux-only, as NginxLite's targets are.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
