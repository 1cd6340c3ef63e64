using NginxLite.Config.Syntax;

namespace NginxLite.Ini.Migration;

/// <summary><c>static-map = MOUNT=DIR</c>: becomes <c>location MOUNT { alias DIR; }</c>.</summary>
public sealed record StaticMap(string Mount, string Directory, SourcePosition Position);
