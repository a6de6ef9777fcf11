namespace Scute.Engine.Launchers;

/// <summary>Where launchers go on the host: the XDG data home's applications and icons, and ~/.local/bin.</summary>
public static class LauncherPlaces
{
    public static string DataHome()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(Home(), ".local", "share");
    }

    public static string Applications() => Path.Combine(DataHome(), "applications");

    public static string Icons() => Path.Combine(DataHome(), "icons", "hicolor");

    public static string Bin() => Path.Combine(Home(), ".local", "bin");

    /// <summary>The scute binary that launchers run (this one, wherever it is installed).</summary>
    public static string Scute() => Environment.ProcessPath ?? "scute";

    private static string Home() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home
        : throw new EngineException("HOME is not set: cannot tell where launchers go");
}
