using Scute.Manifest;

namespace Scute.Engine.Packages;

/// <summary>The steps of one install run: install (or pinned install), clean, read the versions back.</summary>
internal static class PackageInstall
{
    public static IReadOnlyList<ResolvedPackage> Run(InstallRun run, PackageManager manager, PackageRequest request)
    {
        var install = request.Locked is { } locked ? manager.PinnedInstallCommands(locked) : manager.InstallCommands(request.Names);
        foreach (var command in install.Concat(manager.CleanCommands))
        {
            var (status, errors) = run.Step(command, manager.Environment);
            if (status == 0)
            {
                continue;
            }

            if (request.Locked is { } pinned && manager.FindUnavailable(errors, pinned) is { } missing)
            {
                throw new LockException(
                    $"{request.LockPath}: the package mirror no longer has {missing.Name} {missing.Version}; build without --locked to resolve the versions it has now");
            }

            throw new EngineException($"{manager.Name}: {string.Join(' ', command)} failed (exit {status}): {LastError(errors)}");
        }

        using var output = new MemoryStream();
        var (queryStatus, queryErrors) = run.Step(manager.QueryCommand([.. request.Names.Select(PackageNames.Bare)]), manager.Environment, output);
        var text = System.Text.Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
        var resolved = manager.ParseVersions(text, request.Names);
        if (queryStatus != 0 && resolved.Count == 0)
        {
            throw new EngineException($"{manager.Name}: reading the installed versions failed (exit {queryStatus}): {LastError(queryErrors)}");
        }

        if (request.Locked is { } wanted)
        {
            var differ = resolved.Zip(wanted.OrderBy(p => p.Name, StringComparer.Ordinal)).FirstOrDefault(p => p.First != p.Second);
            if (differ != default)
            {
                throw new LockException($"{request.LockPath}: {differ.Second.Name} is locked at {differ.Second.Version} but {differ.First.Version} was installed");
            }
        }

        return resolved;
    }

    /// <summary>The line that says what went wrong: the last error-looking line, else the last line.</summary>
    private static string LastError(string errors)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.LastOrDefault(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("scute:", StringComparison.Ordinal));
        return error ?? lines.LastOrDefault() ?? "no error output";
    }
}
