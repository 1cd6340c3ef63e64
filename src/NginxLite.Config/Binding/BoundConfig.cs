namespace NginxLite.Config.Binding;

/// <summary>The bound tree: <see cref="Root"/> is a synthetic main-context node whose children are the top-level directives.</summary>
public sealed record BoundConfig(BoundDirective Root);
