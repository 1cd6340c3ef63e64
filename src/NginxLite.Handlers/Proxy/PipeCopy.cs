using System.IO.Pipelines;

namespace NginxLite.Handlers.Proxy;

internal static class PipeCopy
{
    /// <summary>Copies into <paramref name="writer"/> asking for a size each time: Kestrel's response writer may hand
    /// out an empty span for <c>GetSpan()</c> with no hint once a segment is exactly full, which makes
    /// BuffersExtensions.Write throw.</summary>
    public static void Copy(PipeWriter writer, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var span = writer.GetSpan(Math.Min(data.Length, 4096));
            var n = Math.Min(span.Length, data.Length);
            data[..n].CopyTo(span);
            writer.Advance(n);
            data = data[n..];
        }
    }
}
