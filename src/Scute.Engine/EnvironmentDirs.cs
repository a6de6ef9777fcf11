namespace Scute.Engine;

/// <summary>The overlay folders of one environment: upper (its changes), work, merged.</summary>
public sealed record EnvironmentDirs(string Root)
{
    public string Upper => Path.Combine(Root, "upper");

    public string Work => Path.Combine(Root, "work");

    public string Merged => Path.Combine(Root, "merged");

    public static EnvironmentDirs Create(string root)
    {
        var dirs = new EnvironmentDirs(root);
        Directory.CreateDirectory(dirs.Upper);
        Directory.CreateDirectory(dirs.Work);
        Directory.CreateDirectory(dirs.Merged);
        return dirs;
    }
}
