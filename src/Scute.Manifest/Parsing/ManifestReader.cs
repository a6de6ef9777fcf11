namespace Scute.Manifest.Parsing;

/// <summary>Turns the table tree into an <see cref="EnvironmentManifest"/>, one section reader per table.</summary>
internal static class ManifestReader
{
    private static readonly string[] TopLevelKeys = ["manifest_version", "base", "system", "gui", "hardware", "mounts", "runtime", "security"];

    public static EnvironmentManifest Read(TomlNode rootNode, ParseContext context, string sourcePath)
    {
        var root = new TableReader(context, rootNode);
        root.RejectUnknownKeys(TopLevelKeys);

        var version = root.GetInteger("manifest_version", "1")
            ?? throw context.Error(null, "manifest_version", "missing required key", "manifest_version = 1");
        if (version != 1)
        {
            var entry = root.Find("manifest_version")!;
            throw context.Error(entry.Line, entry.Path, $"unsupported version {version}", "1");
        }

        var hardware = root.GetTable("hardware");
        hardware?.RejectUnknownKeys("gpu", "audio");
        foreach (var table in new[] { "system", "gui", "mounts", "runtime" })
        {
            if (root.Find(table) is { } entry)
            {
                context.RecordLine(entry.Path, entry.Line);
            }
        }

        return new EnvironmentManifest
        {
            ManifestVersion = 1,
            BaseImage = ReadBaseImage(root),
            Packages = NameListReader.Read(root.GetTable("system"), "packages"),
            Apps = NameListReader.Read(root.GetTable("gui"), "apps", BusNameReader.Key),
            DbusTalk = BusNameReader.Read(root.GetTable("gui")),
            Gpu = hardware?.GetBool("gpu") ?? false,
            Audio = hardware?.GetBool("audio") ?? false,
            Mounts = MountReader.Read(root.GetTable("mounts")),
            Runtime = RuntimeReader.Read(root.GetTable("runtime")),
            Security = SecurityReader.Read(root.GetTable("security")),
            SourcePath = sourcePath,
            KeyLines = context.KeyLines,
        };
    }

    private static string ReadBaseImage(TableReader root)
    {
        const string accepted = "a non-empty image reference of at most 512 characters, e.g. image = \"debian/bookworm\"";
        var table = root.GetTable("base")
            ?? throw root.Context.Error(null, "base.image", "missing required key", accepted);
        table.RejectUnknownKeys("image");
        var entry = table.Find("image")
            ?? throw root.Context.Error(table.Line, "base.image", "missing required key", accepted);
        var image = table.ReadString(entry, accepted, TextRules.MaxImage);
        if (image.Length == 0)
        {
            throw root.Context.Error(entry.Line, entry.Path, "empty image", accepted);
        }

        if (TextRules.HasControl(image))
        {
            throw root.Context.Error(entry.Line, entry.Path, "image contains a control character", accepted);
        }

        return image;
    }
}
