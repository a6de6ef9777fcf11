using System.Globalization;
using Scute.Store;

namespace Scute.Engine.Tests.Lifecycle;

/// <summary>One environment "web" built on busybox with the mock backend, and what a refusal must leave unchanged.</summary>
internal static class OperationFixture
{
    public static (BuildResult Built, ScuteStore Store) BuildWeb(TestProject project, string body = TestProject.MockRuntime, string folder = "app")
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest(folder, body), name: "web");
        return (built, ScuteStore.Open(project.Store));
    }

    public static string Upper(ScuteStore store, string envId) => new EnvironmentDirs(store.Layout.EnvDir(envId)).Upper;

    public static byte[] MetadataBytes(ScuteStore store, string envId) => File.ReadAllBytes(store.Layout.MetadataPath(envId));

    /// <summary>Every entry under <paramref name="root"/>: its relative path and, for a file, its text.</summary>
    public static IReadOnlyList<string> Tree(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) && new FileInfo(p).LinkTarget is null ? $"{Path.GetRelativePath(root, p)}={File.ReadAllText(p)}" : Path.GetRelativePath(root, p))];

    public static string NoEnvironment(TestProject project, string reference) =>
        $"no environment '{reference}' in the store {project.Store} (see scute list)";

    /// <summary>A run record naming this test process: live for as long as the test runs.</summary>
    public static string LiveRecord(ScuteStore store, string envId) => Scute.Engine.Lifecycle.RunRecords.Create(store, envId);

    public static string StartOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }

    /// <summary>Every field but the time of the last change, to compare what an operation changed.</summary>
    public static string Fields(EnvironmentMetadata m) => string.Join(
        '|',
        m.EnvId, m.ShortId, m.Name, m.State, m.ManifestPath, m.BaseReference, m.BaseDigest, m.ImageKey, m.Backend,
        string.Join(',', m.Layers), m.ManifestJson, m.SecurityJson, m.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        string.Join(',', m.Snapshots), m.CurrentSnapshot, m.Sbom);

    public static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);
}
