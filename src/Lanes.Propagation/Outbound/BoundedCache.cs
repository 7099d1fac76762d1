using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Lanes.Propagation;

/// <summary>
/// A concurrent map that keeps at most <c>capacity</c> entries, the first ones asked for; past that, a value is built
/// for its caller and not kept. Nothing is ever evicted, so a key that is kept stays found without allocating, and
/// keys that come from outside the service (host names, lane tags) cannot grow it.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, TValue> _items = new(comparer);
    private int _count;

    /// <summary>The entries kept; never more than the capacity.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Finds a kept entry by another form of its key (a span of a string key) without building the key; the comparer
    /// must support that form, as <see cref="StringComparer.Ordinal"/> does spans.
    /// </summary>
    public bool TryGetValue<TAlternate>(TAlternate key, [MaybeNullWhen(false)] out TKey kept, [MaybeNullWhen(false)] out TValue value)
        where TAlternate : notnull, allows ref struct =>
        _items.GetAlternateLookup<TAlternate>().TryGetValue(key, out kept, out value);

    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> create, TArg argument)
    {
        if (_items.TryGetValue(key, out var found))
        {
            return found;
        }

        var created = create(key, argument);
        if (Volatile.Read(ref _count) >= capacity)
        {
            return created;
        }

        // A slot is reserved before the add so that racing callers can never keep more than the capacity.
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return created;
        }

        var kept = _items.GetOrAdd(key, created);
        if (!ReferenceEquals(kept, created))
        {
            Interlocked.Decrement(ref _count);
        }

        return kept;
    }
}
