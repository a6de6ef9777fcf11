namespace Scute.Manifest.Parsing;

/// <summary>State shared by the section readers of one parse: where errors point, and the lines of keys seen.</summary>
internal sealed class ParseContext(string displayPath, string manifestFolder)
{
    public string DisplayPath { get; } = displayPath;

    /// <summary>Absolute folder of the manifest, against which relative mount paths resolve.</summary>
    public string ManifestFolder { get; } = manifestFolder;

    public Dictionary<string, int> KeyLines { get; } = new(StringComparer.Ordinal);

    public ManifestException Error(int? line, string? key, string problem, string accepted) =>
        new(DisplayPath, line, key, problem, accepted);

    public void RecordLine(string path, int line) => KeyLines.TryAdd(path, line);
}
