using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests.Operations;

public sealed class VerifyStoreOperationTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [SkippableFact]
    public void A_sound_store_passes_with_its_counts()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));
        project.Build(project.WriteManifest("dev", TestProject.MockRuntime));

        var report = VerifyStoreOperation.Run(project.Context);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        // Objects: the base tar and one SBOM per environment.
        Assert.Equal((3, 1, 2, 4), (report.Objects, report.Layers, report.Environments, report.AuditRecords));
    }

    [SkippableTheory]
    [InlineData("object")]
    [InlineData("layer")]
    [InlineData("metadata")]
    [InlineData("audit")]
    public void One_flipped_byte_is_caught_and_named(string kind)
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));
        var path = FileOf(kind);
        AuditStore.FlipByte(path);

        var report = VerifyStoreOperation.Run(project.Context);

        var problem = Assert.Single(report.Problems);
        Assert.Equal((kind, path), (problem.Kind, problem.Path));
        Assert.False(report.Ok);
    }

    [SkippableFact]
    public void Every_problem_is_named_not_only_the_first()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));
        project.Build(project.WriteManifest("dev", TestProject.MockRuntime));
        var store = ScuteStore.Open(project.Store);
        var paths = new[] { "object", "layer", "audit" }.Select(FileOf)
            .Concat(Directory.GetFiles(store.Layout.MetadataDir).Order(StringComparer.Ordinal)) // as the report sorts them
            .ToList();
        paths.ForEach(p => AuditStore.FlipByte(p));

        var report = VerifyStoreOperation.Run(project.Context);

        Assert.Equal(
            [("audit", paths[2]), ("layer", paths[1]), ("metadata", paths[3]), ("metadata", paths[4]), ("object", paths[0])],
            report.Problems.Select(p => (p.Kind, p.Path)).Order());
        Assert.Matches("^line [1-4]: ", report.Problems.Single(p => p.Kind == "audit").Detail);
    }

    [SkippableFact]
    public void A_missing_layer_of_an_environment_is_named()
    {
        TestProject.RequireBusybox();
        project.Build(project.WriteManifest("app", AuditStore.StrictWithRelaxations));
        File.Delete(FileOf("layer"));

        var report = VerifyStoreOperation.Run(project.Context);

        Assert.Equal("metadata", Assert.Single(report.Problems).Kind);
    }

    /// <summary>The one file of that kind (or the audit log).</summary>
    private string FileOf(string kind)
    {
        var layout = new StoreLayout(project.Store);
        return kind switch
        {
            // The base layer's tar, the bigger of the two objects (the other is the SBOM).
            "object" => Directory.GetFiles(layout.ObjectsDir).MaxBy(f => new FileInfo(f).Length)!,
            "layer" => Directory.GetFiles(layout.LayersDir).Single(),
            "metadata" => Directory.GetFiles(layout.MetadataDir).Single(),
            _ => AuditOperation.LogPath(layout),
        };
    }
}
