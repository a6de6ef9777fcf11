using System.Text;
using Scute.Store;

namespace Scute.Engine.Launchers;

/// <summary>
/// scute export bin: a small shell script in ~/.local/bin that runs one command of an
/// environment through scute exec, as distrobox-export --bin does. The script says in a marker
/// line which environment it belongs to, so removal (and destroy) touch only scute's own scripts.
/// </summary>
public static class BinLauncher
{
    private const string Marker = "# scute-launcher env_id=";

    public sealed record Result(string EnvId, string File, string Command);

    public static Result Export(EngineContext context, string reference, string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Length == 0 || command.Contains('\n', StringComparison.Ordinal))
        {
            throw new EngineException("export bin needs a command");
        }

        var store = context.OpenExistingStore();
        EnvironmentMetadata env;
        using (store.LockForChange())
        {
            env = EnvironmentFinder.Find(store, reference);
        }

        var file = Path.Combine(LauncherPlaces.Bin(), Path.GetFileName(command));
        if (File.Exists(file) && Owner(file) is null)
        {
            throw new EngineException($"{file} exists and was not made by scute export bin; remove it or choose another command");
        }

        var script = new StringBuilder()
            .Append("#!/bin/sh\n")
            .Append($"# Runs {Path.GetFileName(command)} in the scute environment {env.Name ?? env.ShortId}; made by scute export bin.\n")
            .Append(Marker).Append(env.EnvId).Append('\n')
            .Append("exec ").Append(string.Join(' ', new[] { LauncherPlaces.Scute(), "--store", store.Layout.Root, "exec", env.EnvId, "--", command }.Select(Sh)))
            .Append(" \"$@\"\n")
            .ToString();
        Directory.CreateDirectory(LauncherPlaces.Bin());
        AtomicFile.WriteAllText(file, script);
        File.SetUnixFileMode(file, (UnixFileMode)0x1ED);
        return new Result(env.EnvId, file, command);
    }

    /// <summary>The scripts in ~/.local/bin made for this environment (every environment when null): (env_id, file).</summary>
    public static IReadOnlyList<(string EnvId, string File)> List(string? envId)
    {
        var dir = LauncherPlaces.Bin();
        return !Directory.Exists(dir) ? []
            : [.. Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)
                .Select(f => (EnvId: Owner(f), File: f))
                .Where(x => x.EnvId is { Length: >= 12 } && (envId is null || x.EnvId == envId))
                .Select(x => (x.EnvId!, x.File))];
    }

    /// <summary>The scripts of one environment (or one command of it) removed; returns their paths.</summary>
    public static IReadOnlyList<string> Remove(string envId, string? command)
    {
        var gone = List(envId).Where(x => command is null || Path.GetFileName(x.File) == Path.GetFileName(command)).Select(x => x.File).ToList();
        foreach (var file in gone)
        {
            File.Delete(file);
        }

        return gone;
    }

    /// <summary>The env_id a scute launcher names, or null for any other file.</summary>
    private static string? Owner(string file)
    {
        try
        {
            if (new FileInfo(file) is not { Length: < 4096, LinkTarget: null })
            {
                return null;
            }

            return File.ReadLines(file).Take(4).FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))?[Marker.Length..];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>One shell word: single-quoted, a quote inside written '\''.</summary>
    private static string Sh(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
