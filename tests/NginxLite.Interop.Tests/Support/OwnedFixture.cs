using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Support;

/// <summary>
/// A class fixture's temp directory and the servers it starts there: <see cref="Own{T}"/> records each one as it
/// starts, and <see cref="Dispose"/> stops them newest first (a front end before the backend it proxies to), then
/// removes the directory. A constructor that fails half-way calls <see cref="Dispose"/> before it rethrows, so no
/// started process outlives a failed set-up.
/// </summary>
public abstract class OwnedFixture(string prefix) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    protected TempDir Temp { get; } = new(prefix);

    protected T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
