using System.Buffers;
using System.Globalization;
using System.Text;

namespace NginxLite.Protocols.Http1;

/// <summary>
/// Writes an HTTP/1.x request head and chunked-body framing into an <see cref="IBufferWriter{T}"/> (a pipe's writer or
/// an array buffer). No I/O. Strings are written as Latin-1, the inverse of how the engine decodes header bytes.
/// </summary>
public static class HttpRequestWriter
{
    /// <summary><c>METHOD target HTTP/1.x</c> CRLF; <paramref name="version"/> is 10 or 11.</summary>
    public static void WriteRequestLine(IBufferWriter<byte> output, string method, string target, int version)
    {
        Write(output, method);
        Write(output, " ");
        Write(output, target);
        output.Write(version == 10 ? " HTTP/1.0\r\n"u8 : " HTTP/1.1\r\n"u8);
    }

    /// <summary><c>Name: value</c> CRLF.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        Write(output, name);
        output.Write(": "u8);
        Write(output, value);
        output.Write("\r\n"u8);
    }

    /// <summary>The empty line that ends the head.</summary>
    public static void WriteEndOfHead(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    /// <summary>A chunk's size line (<c>hex</c> CRLF); the data and <see cref="WriteChunkEnd"/> follow.</summary>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long length)
    {
        var span = output.GetSpan(18);
        length.TryFormat(span, out var n, "x", CultureInfo.InvariantCulture);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    /// <summary>The CRLF after a chunk's data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => output.Write("\r\n"u8);

    /// <summary>The last chunk and an empty trailer.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output) => output.Write("0\r\n\r\n"u8);

    private static void Write(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        var n = Encoding.Latin1.GetBytes(text, span);
        output.Advance(n);
    }
}
