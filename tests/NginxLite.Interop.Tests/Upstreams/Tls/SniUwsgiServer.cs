using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams.Tls;

/// <summary>
/// A TLS socket server on 127.0.0.1 that speaks just enough uwsgi to show the SNI it was sent: uWSGI's --ssl-socket
/// does not put the client's server name into the WSGI environ, so <c>uwsgi_ssl_server_name</c> / <c>uwsgi_ssl_name</c>
/// are checked here. Per connection: the handshake (the name is taken in the certificate selection callback), one
/// uwsgi packet (4-byte header, vars; uwsgi protocol docs, "The uwsgi Protocol"), then a raw HTTP response whose body
/// is <c>sni=[name]</c> and close, as a uWSGI app's response ends.
/// </summary>
public sealed class SniUwsgiServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SniUwsgiServer(string certificatePem, string keyPem)
    {
        _certificate = X509Certificate2.CreateFromPemFile(certificatePem, keyPem);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    private Task AcceptAsync() =>
        AcceptLoop.RunAsync(_listener.AcceptTcpClientAsync, client => _ = ServeAsync(client), _stop.Token);

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            await using var tls = new SslStream(client.GetStream());
            string? sni = null;
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        sni = name ?? "";
                        return _certificate;
                    },
                }, _stop.Token);
                var head = new byte[4];
                await tls.ReadExactlyAsync(head, _stop.Token);
                await tls.ReadExactlyAsync(new byte[head[1] | (head[2] << 8)], _stop.Token);
                var body = $"sni=[{sni}]\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n{body}"), _stop.Token);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
            {
                // The front gave up (a test that expects a refusal); nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _accepting.Wait(TimeSpan.FromSeconds(5));
        _certificate.Dispose();
        _stop.Dispose();
    }
}
