namespace NginxLite.Cli;

/// <summary>
/// Runtime settings that have no runtimeconfig name and must be in place before the first socket is used.
/// </summary>
internal static class RuntimeTuning
{
    /// <summary>Read once by .NET's socket engine (SocketAsyncEngine.Unix) when the first socket is created.</summary>
    internal const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run on the epoll thread (one per core) instead of being queued to the thread pool. With
    /// Kestrel's UnsafePreferInlineScheduling (NginxLiteServer) a request then runs start to end on the thread that
    /// saw its bytes, as in an nginx worker: on this 2-core machine the thread-pool hand-offs (futex wake-ups) were
    /// most of the server's CPU (docs/BENCHMARKS.md, "Scheduling"). An explicit value in the environment wins (=0 to
    /// go back to the thread pool).
    /// </summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
