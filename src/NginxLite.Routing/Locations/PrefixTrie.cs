namespace NginxLite.Routing.Locations;

/// <summary>
/// The static (<c>=</c> and prefix) locations of one level as a character trie: the longest matching prefix is found
/// in one walk over the URI, O(|uri| · log fan-out), without allocating.
/// </summary>
internal sealed class PrefixTrie
{
    private readonly Node _root;

    private PrefixTrie(Node root) => _root = root;

    public static PrefixTrie Build(IEnumerable<Location> locations)
    {
        var root = new Builder();
        foreach (var location in locations)
        {
            var node = root;
            foreach (var c in location.Name)
            {
                if (!node.Children.TryGetValue(c, out var child))
                {
                    child = new Builder();
                    node.Children[c] = child;
                }

                node = child;
            }

            if (location.Kind == LocationMatchKind.Exact)
            {
                node.Exact ??= location;
            }
            else
            {
                node.Prefix ??= location;
            }
        }

        return new PrefixTrie(root.Freeze());
    }

    /// <summary>
    /// Looks <paramref name="uri"/> up: an exact location (<paramref name="exact"/> true), else the longest prefix.
    /// <paramref name="autoRedirect"/> is set when the URI plus '/' names a location that asks for nginx's auto redirect.
    /// </summary>
    public Location? Find(string uri, out bool exact, out bool autoRedirect)
    {
        exact = false;
        autoRedirect = false;
        var node = _root;
        var best = node.Prefix;
        var i = 0;
        for (; i < uri.Length; i++)
        {
            var next = node.Child(uri[i]);
            if (next is null)
            {
                break;
            }

            node = next;
            if (node.Prefix is not null)
            {
                best = node.Prefix;
            }
        }

        if (i == uri.Length)
        {
            if (node.Exact is not null)
            {
                exact = true;
                return node.Exact;
            }

            if (node.Child('/') is { } slash && (slash.Prefix?.AutoRedirect == true || slash.Exact?.AutoRedirect == true)
                && slash.Prefix != best)
            {
                autoRedirect = true;
                return slash.Prefix ?? slash.Exact;
            }
        }

        return best;
    }

    private sealed class Builder
    {
        public SortedDictionary<char, Builder> Children { get; } = [];

        public Location? Exact { get; set; }

        public Location? Prefix { get; set; }

        public Node Freeze() => new(
            [.. Children.Keys],
            [.. Children.Values.Select(b => b.Freeze())],
            Exact,
            Prefix);
    }

    private sealed class Node(char[] keys, Node[] children, Location? exact, Location? prefix)
    {
        private readonly char[] _keys = keys;
        private readonly Node[] _children = children;

        public Location? Exact { get; } = exact;

        public Location? Prefix { get; } = prefix;

        public Node? Child(char c)
        {
            var keys = _keys;
            if (keys.Length <= 8)
            {
                for (var k = 0; k < keys.Length; k++)
                {
                    if (keys[k] == c)
                    {
                        return _children[k];
                    }
                }

                return null;
            }

            var index = Array.BinarySearch(keys, c);
            return index >= 0 ? _children[index] : null;
        }
    }
}
