using Scute.Store;

namespace Scute.Cli.DBus;

/// <summary>
/// The D-Bus activation files (one per bus name) and the systemd user unit that
/// <c>scute dbus-service --install-user-unit</c> writes, all pointing at this binary.
/// </summary>
public static class UserUnit
{
    public const string UnitName = "scute-dbus.service";

    /// <summary>Writes the files and returns their paths.</summary>
    public static IReadOnlyList<string> Install(string binary, string? store)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        var exec = Quote(binary) + (store is null ? string.Empty : " --store " + Quote(store)) + " dbus-service";
        var written = new List<string>();
        var services = Path.Combine(Xdg("XDG_DATA_HOME", ".local/share"), "dbus-1", "services");
        foreach (var name in DBusService.BusNames)
        {
            written.Add(Write(Path.Combine(services, name + ".service"), $"""
                # Written by scute dbus-service --install-user-unit
                [D-BUS Service]
                Name={name}
                Exec={exec}
                SystemdService={UnitName}

                """));
        }

        written.Add(Write(Path.Combine(Xdg("XDG_CONFIG_HOME", ".config"), "systemd", "user", UnitName), $"""
            # Written by scute dbus-service --install-user-unit
            [Unit]
            Description=Scute environment manager (org.scute.Manager1, org.karapace.Manager1)

            [Service]
            Type=dbus
            BusName={DBusService.BusNames[0]}
            ExecStart={exec}

            """));
        return written;
    }

    private static string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
        return path;
    }

    private static string Xdg(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v && Path.IsPathRooted(v)
            ? v
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), fallback);

    // systemd and dbus-daemon both split Exec lines at spaces; double quotes keep a path whole.
    private static string Quote(string s) => s.Any(c => c is ' ' or '"' or '\\') ? "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : s;
}
