using System.Text;
using CsCheck;

namespace NginxLite.TestSupport.Fuzz;

/// <summary>
/// The input mix of a fuzz slice: mostly valid samples mutated 1–4 times (<see cref="ByteMutator"/>), then inputs
/// from the reader's own structured generator, then plain random bytes.
/// </summary>
public static class FuzzInputs
{
    public static Gen<byte[]> Mix(IReadOnlyList<byte[]> samples, IReadOnlyList<byte[]> tokens, Gen<byte[]>? structured = null) =>
        new MixGen(samples, tokens, structured);

    public static byte[][] Texts(params string[] texts) => [.. texts.Select(Encoding.Latin1.GetBytes)];

    private sealed class MixGen(IReadOnlyList<byte[]> samples, IReadOnlyList<byte[]> tokens, Gen<byte[]>? structured) : Gen<byte[]>
    {
        private static readonly Gen<byte[]> Random = Gen.Byte.Array[0, 600];

        public override byte[] Generate(PCG pcg, Size? min, out Size size)
        {
            size = new Size(0);
            var pick = pcg.Next(10);
            if (pick < 6 || (pick < 8 && structured is null))
            {
                var bytes = samples[(int)pcg.Next((uint)samples.Count)];
                var mutations = 1 + (int)pcg.Next(4);
                for (var i = 0; i < mutations; i++)
                {
                    bytes = ByteMutator.Mutate(bytes, pcg, samples, tokens);
                }

                return bytes;
            }

            if (pick < 8)
            {
                var generated = structured!.Generate(pcg, min, out size);
                return pcg.Next(2) == 0 ? generated : ByteMutator.Mutate(generated, pcg, samples, tokens);
            }

            return Random.Generate(pcg, min, out size);
        }
    }
}
