using System.Buffers;
using System.Text;
using CsCheck;
using NginxLite.Protocols.FastCgi;
using NginxLite.TestSupport.Fuzz;

namespace NginxLite.Protocols.Tests.Fuzz;

/// <summary>Valid inputs for each protocol reader (what mutation starts from), their tokens, and structured generators.</summary>
internal static class FuzzSamples
{
    public static ReadOnlySequence<byte> Split(byte[] input, PCG pcg) =>
        input.Length < 2 || pcg.Next(2) == 0 ? new ReadOnlySequence<byte>(input) : SplitSequences.At(input, 1 + (int)pcg.Next((uint)(input.Length - 1)));

    public static readonly byte[][] HeadTokens = FuzzInputs.Texts(
        "\r\n", "\n", "\r", "\r\n\r\n", ":", " ", "\t", "\0", "HTTP/1.1 ", "HTTP/1.0 200 OK\r\n", "Status: ", "Location: /x\r\n",
        "Content-Length: ", "Transfer-Encoding: chunked\r\n", "Connection: close\r\n", "-1", "+5", "0x10",
        "18446744073709551616", "9223372036854775807", "ffffffffffffffff", "\u00ff", "999", "0\r\n\r\n", ";ext=1");

    public static byte[][] FastCgi()
    {
        var w = new ArrayBufferWriter<byte>();
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stderr, "warn\n"u8);
        FastCgiRecordWriter.WriteStream(w, FastCgiRecordType.Stdout, "Status: 404 Not Found\r\nX-A: 1\r\n\r\nbody!"u8);
        FastCgiRecordWriter.WriteEnd(w, FastCgiRecordType.Stdout);
        FastCgiRecordWriter.WriteEndRequest(w, 7);
        var response = w.WrittenSpan.ToArray();

        var p = new ArrayBufferWriter<byte>();
        FastCgiParams.Write(p, [new("SCRIPT_FILENAME", "/srv/index.php"), new("QUERY_STRING", "a=1"), new("HTTP_X", new string('x', 300))]);
        return [response, p.WrittenSpan.ToArray(), [1, 6, 0, 1, 0, 0, 0, 0], [1, 3, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]];
    }

    public static readonly byte[][] FastCgiTokens = [[1], [1, 6, 0, 1], [0xff, 0xff], [0x80, 0, 0, 0], [0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0, 0, 0, 0, 0]];

    /// <summary>A record header with arbitrary type, id, length and padding, followed by up to 300 bytes.</summary>
    public static readonly Gen<byte[]> FastCgiRecords =
        Gen.Select(Gen.Byte[1, 11], Gen.UShort, Gen.UShort[0, 400], Gen.Byte, Gen.Byte.Array[0, 300])
            .Select((type, id, length, padding, tail) => (byte[])[1, type, (byte)(id >> 8), (byte)id, (byte)(length >> 8), (byte)length, padding, 0, .. tail]);

    public static byte[][] Uwsgi()
    {
        var vars = new List<byte>();
        foreach (var (k, v) in new[] { ("REQUEST_METHOD", "GET"), ("PATH_INFO", "/x"), ("HTTP_HOST", "localhost"), ("QUERY_STRING", "") })
        {
            foreach (var s in new[] { k, v })
            {
                vars.Add((byte)s.Length);
                vars.Add((byte)(s.Length >> 8));
                vars.AddRange(Encoding.Latin1.GetBytes(s));
            }
        }

        return [[0, (byte)vars.Count, (byte)(vars.Count >> 8), 0, .. vars], [0, 0, 0, 0], [0, 4, 0, 0, 1, 0, (byte)'a', 0]];
    }

    public static readonly Gen<byte[]> UwsgiPackets =
        Gen.Select(Gen.Byte, Gen.UShort[0, 300], Gen.Byte.Array[0, 320])
            .Select((modifier, size, tail) => (byte[])[modifier, (byte)size, (byte)(size >> 8), 0, .. tail]);

    public static readonly byte[][] ResponseHeads = FuzzInputs.Texts(
        "Status: 200 OK\r\nContent-Type: text/html\r\nX-A: 1\r\n\r\nbody",
        "Location: /next\r\n\r\n",
        "Content-type: text/plain\n\nhello",
        "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.0 200\r\nX: y\r\n\r\n",
        "Status: 302\r\nLocation: http://example.com/\r\nSet-Cookie: a=b\r\n\r\n",
        "NoColonLine\r\nX: y\r\n\r\n");

    public static readonly byte[][] HttpResponses = FuzzInputs.Texts(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: t\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nConnection: close\r\n\r\nuntil close",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");

    /// <summary>Header lines built from random names and values (including control and high bytes), then a body.</summary>
    public static Gen<byte[]> HeadLines(bool statusLine) =>
        Gen.Select(Gen.String[Gen.Char['!', '~'], 0, 12], Gen.String[Gen.Char['\0', '\u00ff'], 0, 40]).Array[0, 8]
            .Select(Gen.Int[0, 999], Gen.Byte.Array[0, 40], (lines, status, body) =>
            {
                var text = (statusLine ? $"HTTP/1.1 {status} X\r\n" : "") + string.Concat(lines.Select(l => $"{l.Item1}: {l.Item2}\r\n")) + "\r\n";
                return (byte[])[.. Encoding.Latin1.GetBytes(text), .. body];
            });
}
