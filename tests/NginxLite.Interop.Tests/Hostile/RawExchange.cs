using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// One raw TCP exchange: the request bytes go out exactly as given, then everything the server sends is read until
/// it closes the connection (<see cref="Closed"/>) or stays silent for the idle time (a kept-alive connection).
/// Nothing is normalized on either side, so the statuses of every response on the stream can be counted.
/// </summary>
public sealed partial record RawExchange(byte[] Received, bool Closed, string? Error)
{
    public static RawExchange Run(int port, byte[] request, TimeSpan idle, TimeSpan? total = null) => Run(port, request, idle, total, null);

    /// <summary>As <see cref="Run(int, byte[], TimeSpan, TimeSpan?)"/>, sending <paramref name="then"/> after a pause of
    /// 500 ms (so the server has acted on the first part, e.g. started streaming a body upstream).
    /// <paramref name="firstByte"/>: how long to wait for the first byte when it is known an answer comes (the peer
    /// answered the same request); <paramref name="idle"/> otherwise. A bound for loaded CI machines, not a timing check.</summary>
    public static RawExchange Run(int port, byte[] request, TimeSpan idle, TimeSpan? total, byte[]? then, TimeSpan? firstByte = null)
    {
        var limit = total ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(IPAddress.Loopback, port);
        }
        catch (SocketException e)
        {
            return new RawExchange([], false, "connect failed: " + e.SocketErrorCode);
        }

        try
        {
            socket.Send(request);
        }
        catch (SocketException)
        {
            // The server may answer and close before reading all of it (414, 413); read what it said.
        }

        if (then is not null)
        {
            Thread.Sleep(500);
            try
            {
                socket.Send(then);
            }
            catch (SocketException)
            {
                // Answered and closed after the first part.
            }
        }

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (clock.Elapsed < limit)
        {
            if (!socket.Poll(received.Length == 0 && firstByte is { } wait ? wait : idle, SelectMode.SelectRead))
            {
                return new RawExchange(received.ToArray(), false, null);
            }

            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return new RawExchange(received.ToArray(), true, null); // reset: closed too
            }

            if (n == 0)
            {
                return new RawExchange(received.ToArray(), true, null);
            }

            received.Write(buffer, 0, n);
        }

        return new RawExchange(received.ToArray(), false, $"still sending after {limit.TotalSeconds:0} s");
    }

    public string Text => Encoding.Latin1.GetString(Received);

    /// <summary>The status codes of every response head on the stream, in order (a smuggled request shows as a second one).</summary>
    public IReadOnlyList<int> Statuses =>
        StatusLine().Matches(Text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The first response's status, 0 when none came.</summary>
    public int Status => Statuses.Count > 0 ? Statuses[0] : 0;

    public bool Contains(string marker) => Text.Contains(marker, StringComparison.Ordinal);

    public string Describe() =>
        $"{(Statuses.Count == 0 ? "no response" : string.Join(",", Statuses))}, {(Closed ? "closed" : "left open")}" +
        (Error is null ? "" : ", " + Error) + ", " + Received.Length + " bytes: " +
        Http.RawResponse.Escape(Received, 160);

    [GeneratedRegex(@"(?:^|\n)HTTP/1\.[01] (\d{3})")]
    private static partial Regex StatusLine();
}
