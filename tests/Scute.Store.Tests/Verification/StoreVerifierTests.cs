using Scute.Store.Verification;
using Scute.Tests.Shared;

namespace Scute.Store.Tests.Verification;

/// <summary>The store's own verification on a store filled by hand: it names each damaged file and goes on.</summary>
public sealed class StoreVerifierTests : IDisposable
{
    private readonly GcStore s = new();

    public void Dispose() => s.Dispose();

    [Fact]
    public void A_sound_store_has_no_problems_and_counts_what_it_read()
    {
        var baseLayer = s.Layer("base", kind: LayerKind.Base);
        s.Environment("env1", EnvState.Built, "img", baseLayer, s.Layer("deps", baseLayer));

        var result = StoreVerifier.Verify(s.Store);

        Assert.Empty(result.Problems);
        Assert.Equal((2, 2, 1), (result.Objects, result.Layers, result.Environments));
    }

    [Fact]
    public void Altered_object_and_dangling_references_are_each_one_problem()
    {
        var tar = s.Object("tar bytes");
        var layer = s.Layer("kept");
        s.Environment("env1", EnvState.Built, "img", layer);
        File.WriteAllText(s.Layout.ObjectPath(tar), "changed");
        var orphan = s.Layer("orphan tar");
        s.Store.Objects.Delete(s.Store.Layers.Get(orphan).TarDigest);

        var problems = StoreVerifier.Verify(s.Store).Problems;

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Kind == "object" && p.Path == s.Layout.ObjectPath(tar));
        Assert.Contains(problems, p => p.Kind == "layer" && p.Path == s.Layout.LayerPath(orphan) && p.Detail.Contains("is not in the object store", StringComparison.Ordinal));
    }
}
