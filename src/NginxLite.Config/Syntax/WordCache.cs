namespace NginxLite.Config.Syntax;

/// <summary>
/// A small direct-mapped cache from a word's raw bytes to its <see cref="ConfigArgument"/>, per file, so the
/// thousands of repeated words of a large config (directive names, "on", "$host") are decoded and allocated once.
/// </summary>
internal sealed class WordCache
{
    private const int Size = 2048;
    private const int MaxWordLength = 48;

    private readonly byte[]?[] _keys = new byte[]?[Size];
    private readonly ConfigArgument?[] _values = new ConfigArgument?[Size];

    public bool TryGet(ReadOnlySpan<byte> raw, out ConfigArgument argument)
    {
        argument = null!;
        if (raw.Length > MaxWordLength)
        {
            return false;
        }

        int slot = Slot(raw);
        if (_keys[slot] is { } key && raw.SequenceEqual(key))
        {
            argument = _values[slot]!;
            return true;
        }

        return false;
    }

    public void Add(ReadOnlySpan<byte> raw, ConfigArgument argument)
    {
        if (raw.Length > MaxWordLength)
        {
            return;
        }

        int slot = Slot(raw);
        _keys[slot] = raw.ToArray();
        _values[slot] = argument;
    }

    private static int Slot(ReadOnlySpan<byte> raw)
    {
        uint hash = 2166136261;
        foreach (byte b in raw)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash & (Size - 1));
    }
}
