using System.Buffers.Binary;
using CsCheck;

namespace NginxLite.TestSupport.Fuzz;

/// <summary>
/// One mutation of a byte string, as coverage-less fuzzers do it: bit flips, random bytes, truncation, splices with
/// another sample, inserted/deleted/repeated ranges, "huge length" overwrites (0xFF.., 0x7F.., 0x80.. in 1, 2, 4 or 8
/// bytes, either byte order) and the reader's interesting tokens (delimiters, numbers at the type limits).
/// </summary>
public static class ByteMutator
{
    private const int MaxLength = 64 * 1024;

    public static byte[] Mutate(byte[] input, PCG pcg, IReadOnlyList<byte[]> samples, IReadOnlyList<byte[]> tokens)
    {
        var b = new List<byte>(input);
        int At(int extra = 0) => (int)pcg.Next((uint)(b.Count + extra));
        switch (pcg.Next(10))
        {
            case 0 when b.Count > 0:
                var bit = At();
                b[bit] ^= (byte)(1 << (int)pcg.Next(8));
                break;
            case 1 when b.Count > 0:
                b[At()] = (byte)pcg.Next(256);
                break;
            case 2:
                b = b.Take(At(1)).ToList();
                break;
            case 3:
                var other = samples[(int)pcg.Next((uint)samples.Count)];
                var cut = At(1);
                var from = (int)pcg.Next((uint)other.Length + 1);
                b = [.. b.Take(cut), .. other.Skip(from)];
                break;
            case 4:
                var insert = new byte[1 + pcg.Next(16)];
                for (var i = 0; i < insert.Length; i++)
                {
                    insert[i] = (byte)pcg.Next(256);
                }

                b.InsertRange(At(1), insert);
                break;
            case 5 when b.Count > 0:
                var start = At();
                b.RemoveRange(start, (int)pcg.Next((uint)(b.Count - start)) + 1);
                break;
            case 6 when b.Count > 0:
                var s = At();
                var range = b.GetRange(s, Math.Min(b.Count - s, 1 + (int)pcg.Next(32)));
                var times = 1 + (int)pcg.Next(8);
                for (var i = 0; i < times; i++)
                {
                    b.InsertRange(s, range);
                }

                break;
            case 7 when b.Count > 0:
                Span<byte> huge = stackalloc byte[8];
                var value = pcg.Next(4) switch { 0 => ulong.MaxValue, 1 => (ulong)long.MaxValue, 2 => 0x8000000000000000UL, _ => (ulong)uint.MaxValue };
                if (pcg.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(huge, value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(huge, value);
                }

                var width = 1 << (int)pcg.Next(4);
                var at = At();
                for (var i = 0; i < width && at + i < b.Count; i++)
                {
                    b[at + i] = huge[i];
                }

                break;
            default:
                if (tokens.Count > 0)
                {
                    b.InsertRange(At(1), tokens[(int)pcg.Next((uint)tokens.Count)]);
                }

                break;
        }

        return b.Count > MaxLength ? [.. b.Take(MaxLength)] : [.. b];
    }
}
