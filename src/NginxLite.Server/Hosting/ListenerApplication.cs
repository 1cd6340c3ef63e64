using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing.Servers;
using NginxLite.Server.Http;

namespace NginxLite.Server.Hosting;

/// <summary>Kestrel's application for one socket: the dispatcher. Reads the current route table once per request.</summary>
internal sealed class ListenerApplication(NginxLiteServer server, ListenAddress address) : IHttpApplication<IFeatureCollection>
{
    public ListenAddress Address { get; } = address;

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public Task ProcessRequestAsync(IFeatureCollection features) =>
        server.Serving.IsCompleted ? ProcessAsync(features) : AfterStartAsync(features);

    /// <summary>A request that arrived between bind and the end of start-up (privilege drop) waits for it.</summary>
    private async Task AfterStartAsync(IFeatureCollection features)
    {
        await server.Serving;
        await ProcessAsync(features);
    }

    private Task ProcessAsync(IFeatureCollection features)
    {
        var table = server.Table;
        var listener = table.FindListener(Address);
        if (listener is null)
        {
            // The socket is going away after a reload: answer with the first listener's servers meanwhile.
            listener = table.Listeners[0];
        }

        server.Runtime.Stats.RequestStarted();
        var connection = ConnectionInfo.From(features.Get<IConnectionItemsFeature>()?.Items);
        var local = features.Get<IHttpConnectionFeature>()?.LocalIpAddress;
        var context = new RequestContext(features, server.Runtime, table, listener.For(local), connection);
        return context.RunAsync(features);
    }

    public void DisposeContext(IFeatureCollection context, Exception? exception) => server.Runtime.Stats.RequestEnded();
}
