using System.Text.Json.Nodes;
using Scute.Engine.Accounts;
using Scute.Store;

namespace Scute.Engine.Launchers;

/// <summary>An exported app: its desktop file and the icons copied with it.</summary>
public sealed record AppLauncher(string EnvId, string ShortId, string App, string DesktopFile, IReadOnlyList<string> Icons);

/// <summary>
/// scute export app: a desktop entry in the host's menu that runs an app of an environment
/// through scute exec (by env_id, with the store named), as distrobox-export does. The app's
/// own .desktop file is copied from the environment when it has one (Name, Icon, MimeType,
/// Categories ... kept; every Exec rewritten; TryExec and D-Bus activation dropped, since they
/// name the host's programs), its icons copied into the data home's hicolor theme.
/// Files are read from the environment's layers without following any symlink.
/// </summary>
public static class AppLaunchers
{
    private const string EnvIdKey = "X-Scute-EnvId";
    private const string AppKey = "X-Scute-App";
    private const string IconsKey = "X-Scute-Icons";
    private const long MaxIconBytes = 4 << 20;

    private static readonly string[] IconSizes = ["scalable", "512x512", "256x256", "128x128", "96x96", "64x64", "48x48", "32x32", "24x24", "22x22", "16x16"];
    private static readonly string[] IconExtensions = [".svg", ".png", ".xpm"];

    public static AppLauncher Export(EngineContext context, string reference, string app, IReadOnlyList<string>? command)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Length == 0 || app.Contains('/', StringComparison.Ordinal) || app.StartsWith('.'))
        {
            throw new EngineException($"'{app}' is not an app name (a program or .desktop name, without /)");
        }

        var (root, env, trees) = Open(context, reference);
        return Write(root, env, trees, app, command);
    }

    /// <summary>Exports each of the manifest's [gui] apps (at build); what cannot be exported is a warning, not a failed build.</summary>
    public static IReadOnlyList<string> ExportGuiApps(EngineContext context, string envId)
    {
        var (root, env, trees) = Open(context, envId);

        var apps = JsonNode.Parse(env.ManifestJson)?["gui"]?["apps"]?.AsArray().Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var warnings = new List<string>();
        foreach (var app in apps.Select(a => Packages.PackageNames.Bare(a)))
        {
            try
            {
                Write(root, env, trees, app, null);
            }
            catch (Exception e) when (e is EngineException or IOException or UnauthorizedAccessException)
            {
                warnings.Add($"[gui] app {app} was not added to the menu: {e.Message}");
            }
        }

        return warnings;
    }

    /// <summary>The environment and its trees (upper folder first), read under the store lock; files are read from them after it.</summary>
    private static (string StoreRoot, EnvironmentMetadata Env, IReadOnlyList<string> Trees) Open(EngineContext context, string reference)
    {
        var store = context.OpenExistingStore();
        using (store.LockForChange())
        {
            var env = EnvironmentFinder.Find(store, reference);
            return (store.Layout.Root, env, [EnvironmentDirs.Create(store.Layout.EnvDir(env.EnvId)).Upper, .. EnvironmentLayers.LowerDirs(store, env)]);
        }
    }

    private static AppLauncher Write(string storeRoot, EnvironmentMetadata env, IReadOnlyList<string> trees, string app, IReadOnlyList<string>? command)
    {
        var label = env.Name ?? env.ShortId;
        var own = TreeFiles.ReadTopmost(trees, $"/usr/share/applications/{app}.desktop");
        DesktopEntry entry;
        if (own is not null && (entry = DesktopEntry.Parse(own)).HasGroup(DesktopEntry.MainGroup))
        {
            foreach (var group in entry.Groups.Where(g => g == DesktopEntry.MainGroup || g.StartsWith("Desktop Action ", StringComparison.Ordinal)).ToList())
            {
                if (entry.Get(group, "Exec") is { } exec)
                {
                    entry.Set(group, "Exec", Prefix(storeRoot, env) + " " + (command is { Count: > 0 } ? ExecLine.Of(command) : exec));
                }
            }

            entry.Remove(DesktopEntry.MainGroup, "TryExec");
            entry.Remove(DesktopEntry.MainGroup, "DBusActivatable");
            foreach (var key in entry.KeysLike(DesktopEntry.MainGroup, "Name"))
            {
                entry.Set(DesktopEntry.MainGroup, key, entry.Get(DesktopEntry.MainGroup, key) + $" ({label})");
            }
        }
        else
        {
            entry = DesktopEntry.Create(
                ("Type", "Application"),
                ("Name", $"{app} ({label})"),
                ("Exec", Prefix(storeRoot, env) + " " + ExecLine.Of(command is { Count: > 0 } ? command : [app])),
                ("Terminal", "false"));
        }

        var icons = new List<string>();
        if (entry.Get(DesktopEntry.MainGroup, "Icon") is { Length: > 0 } icon)
        {
            var copied = CopyIcons(trees, icon, $"scute-{env.ShortId}-{Path.GetFileNameWithoutExtension(icon)}", icons);
            if (copied is not null)
            {
                entry.Set(DesktopEntry.MainGroup, "Icon", copied);
            }
            else
            {
                // The name would find a host icon of the same name, or none: leave it out rather than show the wrong one.
                entry.Remove(DesktopEntry.MainGroup, "Icon");
            }
        }

        entry.Set(DesktopEntry.MainGroup, EnvIdKey, env.EnvId);
        entry.Set(DesktopEntry.MainGroup, AppKey, app);
        if (icons.Count > 0)
        {
            entry.Set(DesktopEntry.MainGroup, IconsKey, string.Join(';', icons) + ";");
        }

        var file = Path.Combine(LauncherPlaces.Applications(), $"scute-{env.ShortId}-{app}.desktop");
        Directory.CreateDirectory(LauncherPlaces.Applications());
        AtomicFile.WriteAllText(file, entry.ToString());
        return new AppLauncher(env.EnvId, env.ShortId, app, file, icons);
    }

    /// <summary>The Exec prefix: this scute, the store it was given, exec by env_id.</summary>
    private static string Prefix(string storeRoot, EnvironmentMetadata env) =>
        ExecLine.Of([LauncherPlaces.Scute(), "--store", storeRoot, "exec", env.EnvId, "--"]);

    /// <summary>Copies every size of the icon the environment has; returns the new icon name (or file), null when it has none.</summary>
    private static string? CopyIcons(IReadOnlyList<string> trees, string icon, string newName, List<string> written)
    {
        if (icon.StartsWith('/'))
        {
            var ext = Path.GetExtension(icon);
            if (!IconExtensions.Contains(ext) || TreeFiles.ReadTopmostBytes(trees, icon, MaxIconBytes) is not { } bytes)
            {
                return null;
            }

            var target = Path.Combine(LauncherPlaces.Icons(), "scalable", "apps", newName + ext);
            Save(target, bytes, written);
            return target;
        }

        foreach (var size in IconSizes)
        {
            foreach (var ext in IconExtensions)
            {
                if (TreeFiles.ReadTopmostBytes(trees, $"/usr/share/icons/hicolor/{size}/apps/{icon}{ext}", MaxIconBytes) is { } bytes)
                {
                    Save(Path.Combine(LauncherPlaces.Icons(), size, "apps", newName + ext), bytes, written);
                }
            }
        }

        foreach (var ext in IconExtensions)
        {
            if (written.Count == 0 && TreeFiles.ReadTopmostBytes(trees, $"/usr/share/pixmaps/{icon}{ext}", MaxIconBytes) is { } bytes)
            {
                // A pixmap has no size: it goes where a theme lookup by name still finds it.
                Save(Path.Combine(LauncherPlaces.Icons(), ext == ".svg" ? "scalable" : "48x48", "apps", newName + ext), bytes, written);
            }
        }

        return written.Count > 0 ? newName : null;
    }

    private static void Save(string target, byte[] bytes, List<string> written)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.WriteAllBytes(target, bytes);
        written.Add(target);
    }

    /// <summary>The apps exported from this store's environments (or every scute launcher when <paramref name="envId"/> is null).</summary>
    public static IReadOnlyList<AppLauncher> List(string? envId = null)
    {
        var dir = LauncherPlaces.Applications();
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var found = new List<AppLauncher>();
        foreach (var file in Directory.EnumerateFiles(dir, "scute-*.desktop").Order(StringComparer.Ordinal))
        {
            DesktopEntry entry;
            try
            {
                entry = DesktopEntry.Parse(File.ReadAllText(file));
            }
            catch (IOException)
            {
                continue;
            }

            if (entry.Get(DesktopEntry.MainGroup, EnvIdKey) is not { Length: >= 12 } id || (envId is not null && id != envId))
            {
                continue;
            }

            var icons = (entry.Get(DesktopEntry.MainGroup, IconsKey) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
            found.Add(new AppLauncher(id, id[..12], entry.Get(DesktopEntry.MainGroup, AppKey) ?? "", file, icons));
        }

        return found;
    }

    /// <summary>Removes the launcher of one app (with <paramref name="app"/>) or of every app of the environment; returns what went.</summary>
    public static IReadOnlyList<AppLauncher> Remove(string envId, string? app)
    {
        var gone = List(envId).Where(l => app is null || l.App == app).ToList();
        foreach (var launcher in gone)
        {
            foreach (var icon in launcher.Icons.Where(i => i.StartsWith(LauncherPlaces.Icons() + "/", StringComparison.Ordinal) && Path.GetFileName(i).StartsWith("scute-", StringComparison.Ordinal)))
            {
                File.Delete(icon);
            }

            File.Delete(launcher.DesktopFile);
        }

        return gone;
    }
}
