using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace NginxLite.Cli.Apps.Stats;

/// <summary>
/// The accept queues of the listening Unix sockets, by path: what <c>ss -lx</c> shows as Recv-Q/Send-Q. One
/// NETLINK_SOCK_DIAG dump (sock_diag(7): SOCK_DIAG_BY_FAMILY for AF_UNIX, states = LISTEN, UDIAG_SHOW_NAME |
/// UDIAG_SHOW_RQLEN): for a listener, UNIX_DIAG_RQLEN's rqueue is the connections waiting for accept() and wqueue
/// the backlog (the way uWSGI's netlink code reads a Unix socket's queue). /proc/net/unix cannot tell a pending
/// connection from an accepted one. Empty when netlink is not available.
/// </summary>
internal static unsafe partial class UnixListenQueues
{
    private const int AfNetlink = 16;
    private const int AfUnix = 1;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFDump = 0x300;
    private const ushort NlmsgDone = 3;
    private const ushort NlmsgError = 2;
    private const int TcpListen = 10;
    private const uint UdiagShowName = 0x1;
    private const uint UdiagShowRqlen = 0x10;
    private const ushort UnixDiagName = 0;
    private const ushort UnixDiagRqlen = 4;

    /// <summary>Path → (waiting connections, backlog) of every listening Unix socket with a path.</summary>
    public static Dictionary<string, (int Queue, int Backlog)> Read()
    {
        var result = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var fd = socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            return result;
        }

        try
        {
            // struct nlmsghdr (16 bytes) + struct unix_diag_req (24 bytes).
            Span<byte> request = stackalloc byte[40];
            request.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(request, 40);
            BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
            BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequest | NlmFDump);
            request[16] = AfUnix;
            BinaryPrimitives.WriteUInt32LittleEndian(request[20..], 1u << TcpListen);
            BinaryPrimitives.WriteUInt32LittleEndian(request[28..], UdiagShowName | UdiagShowRqlen);
            fixed (byte* p = request)
            {
                if (send(fd, p, 40, 0) != 40)
                {
                    return result;
                }
            }

            var buffer = new byte[32 * 1024];
            while (true)
            {
                nint n;
                fixed (byte* p = buffer)
                {
                    n = recv(fd, p, buffer.Length, 0);
                }

                if (n <= 0 || !Parse(buffer.AsSpan(0, (int)n), result))
                {
                    return result;
                }
            }
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>Reads the messages of one datagram; false at NLMSG_DONE or an error.</summary>
    private static bool Parse(ReadOnlySpan<byte> data, Dictionary<string, (int, int)> result)
    {
        while (data.Length >= 16)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
            if (length < 32 || length > data.Length || type is NlmsgDone or NlmsgError)
            {
                return false;
            }

            // struct unix_diag_msg (16 bytes), then rtattrs (u16 len, u16 type, payload, 4-byte aligned).
            var attributes = data[(16 + 16)..length];
            string? name = null;
            (int, int)? queue = null;
            while (attributes.Length >= 4)
            {
                var attrLength = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
                var attrType = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]);
                if (attrLength < 4 || attrLength > attributes.Length)
                {
                    break;
                }

                var payload = attributes[4..attrLength];
                if (attrType == UnixDiagName && payload.Length > 0 && payload[0] != 0)
                {
                    // A path name; abstract names (leading NUL) are not files and not ours.
                    var end = payload.IndexOf((byte)0);
                    name = Encoding.UTF8.GetString(end < 0 ? payload : payload[..end]);
                }
                else if (attrType == UnixDiagRqlen && payload.Length >= 8)
                {
                    queue = ((int)BinaryPrimitives.ReadUInt32LittleEndian(payload), (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]));
                }

                var step = (attrLength + 3) & ~3;
                attributes = step >= attributes.Length ? [] : attributes[step..];
            }

            if (name is not null && queue is { } q)
            {
                result[name] = q;
            }

            var next = (length + 3) & ~3;
            data = next >= data.Length ? [] : data[next..];
        }

        return true;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
