namespace Scute.Store.Gc;

/// <summary>
/// Reads the store into a <see cref="StoreGraph"/> (the only I/O of marking). Any unreadable
/// metadata or layer description stops gc before it removes anything: what that file refers to
/// cannot be known, so nothing can be proven unreachable.
/// </summary>
public static class StoreInventory
{
    /// <param name="stagingCutoff">Staging entries last changed at or after this instant are left alone.</param>
    public static StoreGraph Read(ScuteStore store, DateTime stagingCutoff)
    {
        ArgumentNullException.ThrowIfNull(store);
        var layout = store.Layout;
        try
        {
            return new StoreGraph
            {
                Environments = store.Metadata.List(),
                Layers = store.Layers.List().ToDictionary(d => d, store.Layers.Get),
                Objects = Files(layout.ObjectsDir)
                    .Where(f => Digest.TryParse(f.Name, out _))
                    .ToDictionary(f => Digest.Parse(f.Name), f => f.Length),
                Images = Folders(layout.ImagesDir).ToDictionary(d => d.Name, d => BaseLayerOf(d.FullName)),
                EnvFolders = [.. Folders(layout.EnvsDir).Select(d => d.Name)],
                StagingEntries = [.. Entries(layout.StagingDir)
                    .Where(e => e.LastWriteTimeUtc < stagingCutoff)
                    .Select(e => e.Name)
                    .Order(StringComparer.Ordinal)],
            };
        }
        catch (StoreException e)
        {
            throw new StoreException($"gc stopped before removing anything: {e.Message} (see scute verify-store)", e);
        }
    }

    private static Digest? BaseLayerOf(string imageDir)
    {
        var marker = StoreLayout.BaseLayerFileIn(imageDir);
        return File.Exists(marker) && Digest.TryParse(File.ReadAllText(marker).Trim(), out var d) ? d : null;
    }

    private static IEnumerable<FileSystemInfo> Entries(string dir) =>
        Directory.Exists(dir)
            ? new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal)
            : [];

    private static IEnumerable<FileInfo> Files(string dir) => Entries(dir).OfType<FileInfo>();

    // Only names that are valid path segments: anything else was not written by Scute.
    private static IEnumerable<DirectoryInfo> Folders(string dir) =>
        Entries(dir).OfType<DirectoryInfo>().Where(d => d.LinkTarget is null && IsSegment(d.Name));

    private static bool IsSegment(string name) =>
        name is not ("." or "..") && name.Length is > 0 and <= 128
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
