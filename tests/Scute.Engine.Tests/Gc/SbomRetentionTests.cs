using Scute.Store;
using Scute.Tests.Shared;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Gc;

/// <summary>An environment's SBOM object lives exactly as long as the environment, and verify-store notices it missing.</summary>
public sealed class SbomRetentionTests : IDisposable
{
    private static readonly DateTime Later = DateTime.UtcNow.AddYears(1);
    private readonly GcStore s = new();

    public void Dispose() => s.Dispose();

    private Digest EnvironmentWithSbom(string envId)
    {
        var baseLayer = s.Layer("base", kind: LayerKind.Base);
        s.Image("img", baseLayer);
        var sbom = s.Object("{\"spdxVersion\":\"SPDX-2.3\"}");
        s.Store.Metadata.Put(s.Environment(envId, EnvState.Built, "img", baseLayer) with { Sbom = sbom });
        return sbom;
    }

    [Fact]
    public void Gc_keeps_the_sbom_of_a_live_environment_and_removes_it_with_the_environment()
    {
        var sbom = EnvironmentWithSbom("env1");

        GcOperation.Run(new EngineContext(s.Root), dryRun: false, CancellationToken.None, stagingCutoff: Later);
        Assert.True(s.Store.Objects.Contains(sbom));

        s.Store.Metadata.Delete("env1");
        GcOperation.Run(new EngineContext(s.Root), dryRun: false, CancellationToken.None, stagingCutoff: Later);
        Assert.False(s.Store.Objects.Contains(sbom));
    }

    [Fact]
    public void Verify_store_names_a_missing_sbom()
    {
        var sbom = EnvironmentWithSbom("env1");
        File.Delete(s.Layout.ObjectPath(sbom));

        var problem = Assert.Single(VerifyStoreOperation.Run(new EngineContext(s.Root)).Problems);

        Assert.Equal("metadata", problem.Kind);
        Assert.Contains("SBOM", problem.Detail, StringComparison.Ordinal);
    }
}
