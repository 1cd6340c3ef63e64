// The fuzz slices use NginxLite.TestSupport, which targets Linux (test processes, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
