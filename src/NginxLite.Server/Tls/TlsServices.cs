using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NginxLite.Server.Tls;

/// <summary>
/// The few services Kestrel's <c>ListenOptions.UseHttps</c> resolves from <c>KestrelServerOptions.ApplicationServices</c>
/// (a logger factory, the meter factory of its connection metrics): NginxLite builds Kestrel without a web host, so
/// it supplies them itself. Handshake failures are not logged by Kestrel (nginx logs them at info only).
/// </summary>
internal static class TlsServices
{
    public static readonly IServiceProvider Instance = Build();

    private static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddMetrics();

        // UseHttps requires Kestrel's (internal) connection-metrics service, which only a web host's UseKestrelCore
        // registers; it is registered by name here so the TLS middleware is Kestrel's own, unchanged.
        // (a string literal: the trimmer keeps the type and its constructors)
        var metrics = Type.GetType("Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Infrastructure.KestrelMetrics, Microsoft.AspNetCore.Server.Kestrel.Core")
            ?? throw new InvalidOperationException("this Kestrel has no KestrelMetrics type: TLS listeners cannot be set up");
        services.AddSingleton(metrics);
        return services.BuildServiceProvider();
    }
}
