using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NginxLite.Server.Hosting;

/// <summary>
/// The generic host around the server: <see cref="Host.CreateEmptyApplicationBuilder"/> (no configuration sources,
/// no console logger, nothing bound by reflection), <see cref="NginxLiteHostedService"/> as the one hosted service and
/// <see cref="NginxLifetime"/> for nginx's signals in place of ConsoleLifetime.
/// </summary>
public static class NginxLiteHost
{
    public static IHost Build(ServeSettings settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.Configure<HostOptions>(o =>
        {
            // The service bounds a graceful stop itself (settings.GracefulTimeout); the host's timeout is a backstop.
            o.ShutdownTimeout = settings.GracefulTimeout + TimeSpan.FromSeconds(5);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<NginxLiteHostedService>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<NginxLiteHostedService>());
        builder.Services.AddSingleton<IHostLifetime, NginxLifetime>();
        return builder.Build();
    }

    /// <summary>
    /// Binds, writes the pid file, serves until a stop signal or <paramref name="stop"/>. A listener that cannot be
    /// bound is a <see cref="BindException"/> (nothing left open, no pid file).
    /// </summary>
    public static async Task RunAsync(ServeSettings settings, CancellationToken stop = default)
    {
        var host = Build(settings);
        try
        {
            await host.StartAsync(stop);
            await host.WaitForShutdownAsync(stop);
        }
        finally
        {
            if (host is IAsyncDisposable async)
            {
                await async.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
