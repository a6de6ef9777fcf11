using Scute.Runtime;

namespace Scute.Engine.Devices;

/// <summary>
/// The CDI specs of this host: the files (*.json, *.yaml, *.yml) of /etc/cdi, then /var/run/cdi,
/// whose specs take precedence (CDI's default order). A spec grants access to host device nodes
/// and host paths, so only a file owned by root and writable by no one else, in a folder likewise,
/// is read; any other is passed over with the reason kept for the error a request for it gets.
/// SCUTE_CDI_SPEC_DIRS (colon-separated, later wins) replaces the folders; the same ownership rule
/// holds there, so it cannot bring in a spec root did not write.
/// </summary>
public sealed class CdiRegistry
{
    public static readonly IReadOnlyList<string> DefaultDirs = ["/etc/cdi", "/var/run/cdi"];

    private readonly Dictionary<string, (CdiSpec Spec, int Priority)> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _conflicts = new(StringComparer.Ordinal);
    private readonly List<string> _passedOver = [];

    private CdiRegistry(IReadOnlyList<string> dirs) => Dirs = dirs;

    public IReadOnlyList<string> Dirs { get; }

    public static IReadOnlyList<string> ConfiguredDirs() =>
        Environment.GetEnvironmentVariable("SCUTE_CDI_SPEC_DIRS") is { Length: > 0 } dirs
            ? [.. dirs.Split(':', StringSplitOptions.RemoveEmptyEntries)]
            : DefaultDirs;

    public static CdiRegistry Load() => Load(ConfiguredDirs(), TrustedFile.RootOwned);

    /// <param name="trusted">Why a file or folder may not be read, or null (the tests' seam for ownership).</param>
    public static CdiRegistry Load(IReadOnlyList<string> dirs, Func<string, string?> trusted)
    {
        var registry = new CdiRegistry(dirs);
        for (var priority = 0; priority < dirs.Count; priority++)
        {
            var dir = dirs[priority];
            if (!Directory.Exists(dir))
            {
                continue;
            }

            if (trusted(dir) is { } whyDir)
            {
                registry._passedOver.Add($"{dir}: {whyDir}");
                continue;
            }

            var files = Directory.EnumerateFiles(dir)
                .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (trusted(file) is { } why)
                {
                    registry._passedOver.Add($"{file}: {why}");
                    continue;
                }

                registry.Add(CdiSpecReader.ReadFile(file), priority);
            }
        }

        return registry;
    }

    private void Add(CdiSpec spec, int priority)
    {
        if (_kinds.TryGetValue(spec.Kind, out var existing))
        {
            if (existing.Priority == priority)
            {
                // Two files of one folder for the same kind: CDI calls this a conflict; the kind is unusable.
                _conflicts[spec.Kind] = $"{existing.Spec.File} and {spec.File} both define {spec.Kind}";
                return;
            }

            _conflicts.Remove(spec.Kind);
        }

        _kinds[spec.Kind] = (spec, priority);
    }

    public bool HasKind(string kind) => _kinds.ContainsKey(kind) || _conflicts.ContainsKey(kind);

    /// <summary>The edits a qualified device name ("vendor.com/class=name") asks for: the spec's own, then the device's.</summary>
    public (CdiSpec Spec, IReadOnlyList<CdiEdits> Edits) Resolve(string qualified)
    {
        var (kind, name) = Split(qualified);
        if (_conflicts.TryGetValue(kind, out var conflict))
        {
            throw new ContainerSetupException($"CDI device {qualified}: {conflict}");
        }

        if (!_kinds.TryGetValue(kind, out var entry))
        {
            var passed = _passedOver.Count == 0 ? "" : $" (not read: {string.Join("; ", _passedOver)})";
            throw new ContainerSetupException($"CDI device {qualified}: no spec for {kind} in {string.Join(", ", Dirs)}{passed}");
        }

        var device = entry.Spec.Devices.FirstOrDefault(d => d.Name == name)
            ?? throw new ContainerSetupException($"CDI device {qualified}: {entry.Spec.File} has no device '{name}' (it has {string.Join(", ", entry.Spec.Devices.Select(d => d.Name))})");
        return (entry.Spec, [entry.Spec.Edits, device.Edits]);
    }

    public static (string Kind, string Name) Split(string qualified)
    {
        var eq = qualified.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == qualified.Length - 1 || !qualified[..eq].Contains('/', StringComparison.Ordinal))
        {
            throw new ContainerSetupException($"'{qualified}' is not a CDI device name (vendor.com/class=name)");
        }

        return (qualified[..eq], qualified[(eq + 1)..]);
    }
}
