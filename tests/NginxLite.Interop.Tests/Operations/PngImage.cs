using System.Buffers.Binary;
using StbImageSharp;
using Xunit;

namespace NginxLite.Interop.Tests.Operations;

/// <summary>A PNG checked by its signature and IHDR (PNG spec §5.2, §11.2.2) and decoded to RGBA with StbImageSharp.</summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _rgba;

    private PngImage(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        _rgba = rgba;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Checks the signature and that the first chunk is IHDR with the decoded size, then decodes.</summary>
    public static PngImage Decode(byte[] png)
    {
        Assert.True(png.Length > 33 && png.AsSpan(0, 8).SequenceEqual(Signature), "not a PNG (signature)");
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        Assert.Equal((width, height), (image.Width, image.Height));
        return new PngImage(width, height, image.Data);
    }

    /// <summary>Pixels of exactly this colour (a chart's bar or line: flat fills keep their exact colour).</summary>
    public int Count(byte r, byte g, byte b)
    {
        var n = 0;
        for (var i = 0; i < _rgba.Length; i += 4)
        {
            if (_rgba[i] == r && _rgba[i + 1] == g && _rgba[i + 2] == b)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Variance of the luminance over all pixels: 0 for a blank (single-colour) image.</summary>
    public double LuminanceVariance()
    {
        double sum = 0, squares = 0;
        var n = _rgba.Length / 4;
        for (var i = 0; i < _rgba.Length; i += 4)
        {
            var y = 0.2126 * _rgba[i] + 0.7152 * _rgba[i + 1] + 0.0722 * _rgba[i + 2];
            sum += y;
            squares += y * y;
        }

        var mean = sum / n;
        return squares / n - mean * mean;
    }
}
