using System.ComponentModel;
using System.Runtime.InteropServices;
using NginxLite.Handlers.Posix;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// One message per packet on a SOCK_SEQPACKET Unix socket, with file descriptors passed as SCM_RIGHTS ancillary data
/// (unix(7), cmsg(3)). Blocking calls: each side reads on a thread of its own.
/// </summary>
internal static unsafe class FdChannel
{
    public const int MaxPacket = 1024 * 1024;
    public const int MaxFds = 4;

    private const int AfUnix = 1;
    private const int SockSeqPacket = 5;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCtrunc = 0x8;
    private const int MsgTrunc = 0x20;
    private const int MsgNoSignal = 0x4000;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int Eintr = 4;

    // struct cmsghdr on LP64: size_t len; int level; int type; then the data, 8-byte aligned.
    private const int CmsgHeader = 16;
    private const int ControlSize = CmsgHeader + MaxFds * sizeof(int) + 8;

    /// <summary>A close-on-exec SOCK_SEQPACKET pair.</summary>
    public static (int A, int B) Pair()
    {
        var fds = stackalloc int[2];
        if (LibC.socketpair(AfUnix, SockSeqPacket | SockCloexec, 0, fds) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        return (fds[0], fds[1]);
    }

    /// <summary>Sends one packet with <paramref name="fds"/> attached; throws <see cref="Win32Exception"/> on failure
    /// (EPIPE when the peer is gone: MSG_NOSIGNAL, no SIGPIPE).</summary>
    public static void Send(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        if (fds.Length > MaxFds)
        {
            throw new ArgumentOutOfRangeException(nameof(fds));
        }

        var control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        fixed (byte* p = data)
        {
            var iov = new LibC.IoVec { Base = p, Length = (nuint)data.Length };
            var msg = new LibC.MsgHdr { Iov = &iov, IovLength = 1 };
            if (fds.Length > 0)
            {
                *(nuint*)control = (nuint)(CmsgHeader + fds.Length * sizeof(int));
                *(int*)(control + 8) = SolSocket;
                *(int*)(control + 12) = ScmRights;
                fds.CopyTo(new Span<int>(control + CmsgHeader, fds.Length));
                msg.Control = control;
                msg.ControlLength = (nuint)(CmsgHeader + ((fds.Length * sizeof(int) + 7) & ~7));
            }

            while (LibC.sendmsg(socket, &msg, MsgNoSignal) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    throw new Win32Exception(errno);
                }
            }
        }
    }

    /// <summary>Receives one packet into <paramref name="buffer"/> and its fds (close-on-exec) into
    /// <paramref name="fds"/>. Returns the length; 0 is end of file (the peer closed). A truncated packet or fd list
    /// throws (its fds are closed).</summary>
    public static int Receive(int socket, Span<byte> buffer, List<int> fds)
    {
        var control = stackalloc byte[ControlSize];
        fixed (byte* p = buffer)
        {
            var iov = new LibC.IoVec { Base = p, Length = (nuint)buffer.Length };
            var msg = new LibC.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSize };
            nint n;
            while ((n = LibC.recvmsg(socket, &msg, MsgCmsgCloexec)) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    throw new Win32Exception(errno);
                }
            }

            if (msg.ControlLength >= CmsgHeader && *(int*)(control + 8) == SolSocket && *(int*)(control + 12) == ScmRights)
            {
                var count = ((int)*(nuint*)control - CmsgHeader) / sizeof(int);
                for (var i = 0; i < count; i++)
                {
                    fds.Add(((int*)(control + CmsgHeader))[i]);
                }
            }

            if ((msg.Flags & (MsgTrunc | MsgCtrunc)) != 0)
            {
                CloseAll(fds);
                throw new InvalidDataException("truncated packet");
            }

            return (int)n;
        }
    }

    public static void CloseAll(List<int> fds)
    {
        foreach (var fd in fds)
        {
            LibC.close(fd);
        }

        fds.Clear();
    }
}
