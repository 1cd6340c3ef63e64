namespace NginxLite.TestSupport.Fuzz;

/// <summary>A fuzz input broke a reader's contract (unexpected exception, allocation over the bound).</summary>
public sealed class FuzzFailure(string message) : Exception(message);
