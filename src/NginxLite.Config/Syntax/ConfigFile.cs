namespace NginxLite.Config.Syntax;

/// <summary>A file that was read while loading a config, in the order nginx reads them (for <c>-T</c>).</summary>
public sealed record ConfigFile(string Path, byte[] Content);
