namespace Scute.Store.Gc;

/// <summary>
/// Mark-and-sweep as pure functions (containerd's pkg/gc): mark everything reachable from the
/// roots over a references callback, then order what was not marked so that every node comes
/// before the nodes it references. No store access here; callers pass the graph in.
/// </summary>
public static class MarkSweep
{
    /// <summary>Every node reachable from <paramref name="roots"/>, roots included. Safe with cycles and with references to nodes that do not exist.</summary>
    public static HashSet<GcNode> Mark(IEnumerable<GcNode> roots, Func<GcNode, IEnumerable<GcNode>> references)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(references);
        var marked = new HashSet<GcNode>();
        var pending = new Stack<GcNode>();
        foreach (var root in roots)
        {
            if (marked.Add(root))
            {
                pending.Push(root);
            }
        }

        while (pending.TryPop(out var node))
        {
            foreach (var next in references(node))
            {
                if (marked.Add(next))
                {
                    pending.Push(next);
                }
            }
        }

        return marked;
    }

    /// <summary>
    /// The candidates that are not marked, referrers before what they reference (a layer before its
    /// parent and its tar object, an image before its base layer), so deleting them in this order
    /// never leaves a surviving file naming a deleted one. Ties (and cycles, which content
    /// addressing rules out but the algorithm tolerates) go by kind, then ordinal id.
    /// </summary>
    public static IReadOnlyList<GcNode> Sweep(IEnumerable<GcNode> candidates, IReadOnlySet<GcNode> marked, Func<GcNode, IEnumerable<GcNode>> references)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(marked);
        ArgumentNullException.ThrowIfNull(references);
        var garbage = new SortedSet<GcNode>(candidates.Where(c => c.Kind != GcKind.Environment && !marked.Contains(c)));
        var referrers = garbage.ToDictionary(n => n, _ => 0);
        var edges = new Dictionary<GcNode, List<GcNode>>();
        foreach (var node in garbage)
        {
            var targets = references(node).Where(t => t != node && garbage.Contains(t)).Distinct().ToList();
            edges[node] = targets;
            foreach (var t in targets)
            {
                referrers[t]++;
            }
        }

        // Kahn's algorithm: repeatedly take the smallest node nothing left refers to.
        var ready = new SortedSet<GcNode>(garbage.Where(n => referrers[n] == 0));
        var order = new List<GcNode>(garbage.Count);
        while (garbage.Count > 0)
        {
            var next = ready.Count > 0 ? ready.Min : garbage.Min; // garbage.Min only inside a cycle
            ready.Remove(next);
            garbage.Remove(next);
            order.Add(next);
            foreach (var t in edges[next])
            {
                if (garbage.Contains(t) && --referrers[t] == 0)
                {
                    ready.Add(t);
                }
            }
        }

        return order;
    }
}
