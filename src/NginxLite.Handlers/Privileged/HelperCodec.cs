using System.Text;

namespace NginxLite.Handlers.Privileged;

/// <summary>
/// The helper's messages as bytes: the kind, then little-endian integers and length-prefixed UTF-8 strings
/// (BinaryWriter's format). One message per SOCK_SEQPACKET packet, so no framing is needed; a packet that does not
/// decode whole is a protocol error and the helper refuses it.
/// </summary>
internal static class HelperCodec
{
    public static byte[] Spawn(uint id, SpawnRequest r) => Write(HelperMessageKind.Spawn, w =>
    {
        w.Write(id);
        w.Write(r.Path);
        Strings(w, r.Argv);
        Strings(w, r.Env);
        w.Write(r.Directory ?? "");
        w.Write(r.Uid);
        w.Write(r.Gid);
        w.Write(r.Groups.Length);
        foreach (var g in r.Groups)
        {
            w.Write(g);
        }

        w.Write(r.NewSession);
        w.Write(r.Script ?? "");
    });

    public static SpawnRequest ReadSpawn(BinaryReader r)
    {
        var path = r.ReadString();
        var argv = Strings(r);
        var env = Strings(r);
        var dir = r.ReadString();
        var uid = r.ReadUInt32();
        var gid = r.ReadUInt32();
        var groups = new uint[Count(r)];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = r.ReadUInt32();
        }

        var newSession = r.ReadBoolean();
        var script = r.ReadString();
        return new SpawnRequest(path, argv, env, dir.Length == 0 ? null : dir, uid, gid, groups, newSession, script.Length == 0 ? null : script);
    }

    public static byte[] Signal(uint id, int pid, int signal, bool group) => Write(HelperMessageKind.Signal, w =>
    {
        w.Write(id);
        w.Write(pid);
        w.Write(signal);
        w.Write(group);
    });

    public static byte[] Bind(uint id, string address) => Write(HelperMessageKind.Bind, w =>
    {
        w.Write(id);
        w.Write(address);
    });

    public static byte[] OpenLog(uint id, string path) => Write(HelperMessageKind.OpenLog, w =>
    {
        w.Write(id);
        w.Write(path);
    });

    public static byte[] GiveDirectory(uint id, uint uid, uint gid, int mode) => Write(HelperMessageKind.GiveDirectory, w =>
    {
        w.Write(id);
        w.Write(uid);
        w.Write(gid);
        w.Write(mode);
    });

    public static byte[] Fd(uint id) => Write(HelperMessageKind.Fd, w => w.Write(id));

    public static byte[] Spawned(uint id, int pid) => Write(HelperMessageKind.Spawned, w =>
    {
        w.Write(id);
        w.Write(pid);
    });

    public static byte[] Refused(uint id, string reason) => Write(HelperMessageKind.Refused, w =>
    {
        w.Write(id);
        w.Write(reason);
    });

    public static byte[] Done(uint id) => Write(HelperMessageKind.Done, w => w.Write(id));

    public static byte[] Exited(int pid, int status) => Write(HelperMessageKind.Exited, w =>
    {
        w.Write(pid);
        w.Write(status);
    });

    /// <summary>A reader positioned after the kind byte.</summary>
    public static BinaryReader Open(ReadOnlySpan<byte> packet, out HelperMessageKind kind)
    {
        kind = (HelperMessageKind)packet[0];
        return new BinaryReader(new MemoryStream(packet[1..].ToArray()), Encoding.UTF8);
    }

    private static byte[] Write(HelperMessageKind kind, Action<BinaryWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)kind);
            body(w);
        }

        return stream.ToArray();
    }

    private static void Strings(BinaryWriter w, string[] items)
    {
        w.Write(items.Length);
        foreach (var s in items)
        {
            w.Write(s);
        }
    }

    private static string[] Strings(BinaryReader r)
    {
        var items = new string[Count(r)];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = r.ReadString();
        }

        return items;
    }

    /// <summary>A count that cannot ask for more items than the packet (at most 1 MiB) could hold.</summary>
    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        return n is >= 0 and <= 256 * 1024 ? n : throw new InvalidDataException($"bad count {n}");
    }
}
