namespace Scute.Store.Wal;

/// <summary>
/// Applies rollback steps newest first. Every step is idempotent (replaying a half-replayed
/// entry again gives the same result), and replay stops at the first step that cannot be
/// applied, so a later step never destroys what an earlier one failed to put back.
/// </summary>
internal static class WalReplay
{
    /// <summary>Rolls the entry back; throws <see cref="StoreException"/> naming the step that failed.</summary>
    public static void RollBack(StoreLayout layout, WalEntry entry)
    {
        for (var i = entry.Steps.Count - 1; i >= 0; i--)
        {
            var step = entry.Steps[i];
            try
            {
                Apply(layout, step);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot roll back step {i + 1} ({Describe(step)}) of the interrupted {entry.Op}: {e.Message}", e);
            }
        }
    }

    /// <summary>Checks an entry read from disk before anything is replayed; null when it is fine.</summary>
    public static string? Validate(StoreLayout layout, WalEntry entry)
    {
        for (var i = 0; i < entry.Steps.Count; i++)
        {
            var step = entry.Steps[i];
            var ok = step.Kind switch
            {
                WalStepKind.RemovePath => WalPaths.ToFull(layout, step.Path) is not null,
                WalStepKind.Rename => WalPaths.ToFull(layout, step.From) is not null && WalPaths.ToFull(layout, step.To) is not null,
                WalStepKind.RestoreMetadata => ValidEnvId(step.EnvId) && IsBase64(step.Content),
                WalStepKind.DeleteMetadata => ValidEnvId(step.EnvId),
                _ => false,
            };
            if (!ok)
            {
                return $"step {i + 1} ({step.Kind}) is incomplete or names a path outside the store";
            }
        }

        return null;
    }

    public static string Describe(WalStep step) => step.Kind switch
    {
        WalStepKind.RemovePath => $"remove {step.Path}",
        WalStepKind.Rename => $"rename {step.From} back to {step.To}",
        WalStepKind.RestoreMetadata => $"restore the metadata of {step.EnvId}",
        WalStepKind.DeleteMetadata => $"delete the metadata of {step.EnvId}",
        _ => step.Kind.ToString(),
    };

    private static void Apply(StoreLayout layout, WalStep step)
    {
        switch (step.Kind)
        {
            case WalStepKind.RemovePath:
                PathRemoval.Remove(WalPaths.ToFull(layout, step.Path)!);
                break;
            case WalStepKind.Rename:
                Rename(WalPaths.ToFull(layout, step.From)!, WalPaths.ToFull(layout, step.To)!);
                break;
            case WalStepKind.RestoreMetadata:
                Directory.CreateDirectory(layout.MetadataDir);
                AtomicFile.WriteAllBytes(layout.MetadataPath(step.EnvId!), Convert.FromBase64String(step.Content!));
                break;
            case WalStepKind.DeleteMetadata:
                File.Delete(layout.MetadataPath(step.EnvId!));
                Interop.FSyncDirectory(layout.MetadataDir);
                break;
            default:
                throw new IOException($"unknown step {step.Kind}");
        }
    }

    private static void Rename(string from, string to)
    {
        var fromExists = Exists(from);
        var toExists = Exists(to);
        if (!fromExists)
        {
            return; // never moved, or already moved back
        }

        if (toExists)
        {
            throw new IOException($"both {from} and {to} exist; refusing to overwrite {to}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        if (Directory.Exists(from) && new DirectoryInfo(from).LinkTarget is null)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }

        Interop.FSyncDirectory(Path.GetDirectoryName(to)!);
    }

    private static bool Exists(string path) => Interop.LStat(Interop.AtFdCwd, path, out _) == 0;

    private static bool ValidEnvId(string? id)
    {
        try
        {
            return id is not null && StoreNames.CheckSegment(id, "environment id") == id;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsBase64(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
