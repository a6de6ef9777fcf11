using Scute.Store.Gc;

namespace Scute.Store.Tests.Gc;

/// <summary>The pure algorithm on hand-made graphs: no store, no files.</summary>
public sealed class MarkSweepTests
{
    private static readonly GcNode EnvA = new(GcKind.Environment, "a");
    private static readonly GcNode EnvB = new(GcKind.Environment, "b");

    private static GcNode L(string id) => new(GcKind.Layer, id);

    private static GcNode O(string id) => new(GcKind.Object, id);

    private static Func<GcNode, IEnumerable<GcNode>> Refs(params (GcNode From, GcNode To)[] edges) =>
        n => edges.Where(e => e.From == n).Select(e => e.To);

    [Fact]
    public void A_chain_is_kept_whole_from_its_top()
    {
        var refs = Refs((EnvA, L("3")), (L("3"), L("2")), (L("2"), L("1")), (L("1"), O("t1")), (L("2"), O("t2")), (L("3"), O("t3")));

        var marked = MarkSweep.Mark([EnvA], refs);

        Assert.Equal(new HashSet<GcNode> { EnvA, L("1"), L("2"), L("3"), O("t1"), O("t2"), O("t3") }, marked);
    }

    [Fact]
    public void A_shared_parent_stays_while_any_child_is_reachable()
    {
        var refs = Refs((EnvA, L("a")), (L("a"), L("base")), (L("b"), L("base")), (L("base"), O("t")), (L("b"), O("tb")));
        var all = new[] { L("a"), L("b"), L("base"), O("t"), O("tb") };

        var garbage = MarkSweep.Sweep(all, MarkSweep.Mark([EnvA], refs), refs);

        Assert.Equal([L("b"), O("tb")], garbage);
    }

    [Fact]
    public void Nothing_reachable_means_everything_goes_referrers_first()
    {
        var refs = Refs((L("top"), L("mid")), (L("mid"), L("bottom")), (L("bottom"), O("x")), (L("top"), O("x")), (L("mid"), O("y")));
        var image = new GcNode(GcKind.Image, "img");
        refs = Combine(refs, Refs((image, L("bottom"))));
        var all = new[] { O("x"), O("y"), L("bottom"), L("mid"), L("top"), image, new GcNode(GcKind.EnvFolder, "e"), new GcNode(GcKind.Staging, "s") };

        var garbage = MarkSweep.Sweep(all, MarkSweep.Mark([], refs), refs);

        Assert.Equal(all.Length, garbage.Count);
        for (var i = 0; i < garbage.Count; i++)
        {
            foreach (var target in refs(garbage[i]))
            {
                Assert.True(garbage.ToList().IndexOf(target) > i, $"{garbage[i]} must go before {target}");
            }
        }

        Assert.Equal(new GcNode(GcKind.Staging, "s"), garbage[0]);
        Assert.Equal([L("top"), L("mid"), L("bottom"), O("x"), O("y")], garbage.Skip(3));
    }

    [Fact]
    public void Cycles_terminate_in_mark_and_in_sweep()
    {
        var refs = Refs((L("1"), L("2")), (L("2"), L("3")), (L("3"), L("1")), (EnvA, L("k")), (L("k"), L("k")));
        var all = new[] { L("1"), L("2"), L("3"), L("k") };

        var marked = MarkSweep.Mark([EnvA], refs);
        var garbage = MarkSweep.Sweep(all, marked, refs);

        Assert.Contains(L("k"), marked);
        Assert.Equal(3, garbage.Count);
        Assert.Equal(new HashSet<GcNode> { L("1"), L("2"), L("3") }, garbage.ToHashSet());
    }

    [Fact]
    public void A_root_naming_missing_things_keeps_what_exists_and_collects_the_rest()
    {
        var refs = Refs((EnvA, L("gone")), (EnvA, L("here")), (L("here"), O("missing-tar")), (EnvB, new GcNode(GcKind.Image, "never-built")));
        var all = new[] { L("here"), L("other"), O("t") };

        var garbage = MarkSweep.Sweep(all, MarkSweep.Mark([EnvA, EnvB], refs), refs);

        Assert.Equal([L("other"), O("t")], garbage);
    }

    [Fact]
    public void Environments_are_never_swept_even_when_not_roots()
    {
        var garbage = MarkSweep.Sweep([EnvA, L("x")], new HashSet<GcNode>(), _ => []);

        Assert.Equal([L("x")], garbage);
    }

    [Fact]
    public void The_same_graph_gives_the_same_order_whatever_the_input_order()
    {
        var refs = Refs((L("b"), O("1")), (L("a"), O("2")));
        GcNode[] all = [O("2"), L("b"), O("1"), L("a"), new GcNode(GcKind.Image, "z")];

        var first = MarkSweep.Sweep(all, new HashSet<GcNode>(), refs);
        var second = MarkSweep.Sweep(all.Reverse(), new HashSet<GcNode>(), refs);

        Assert.Equal(first, second);
        Assert.Equal([new GcNode(GcKind.Image, "z"), L("a"), L("b"), O("1"), O("2")], first);
    }

    private static Func<GcNode, IEnumerable<GcNode>> Combine(Func<GcNode, IEnumerable<GcNode>> a, Func<GcNode, IEnumerable<GcNode>> b) =>
        n => a(n).Concat(b(n));
}
