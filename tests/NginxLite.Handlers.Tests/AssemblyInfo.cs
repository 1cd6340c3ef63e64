// The tests drive Linux processes, signals and file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
