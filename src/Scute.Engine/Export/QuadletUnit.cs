using System.Globalization;
using System.Text;
using Scute.Runtime;
using Scute.Runtime.Podman;

namespace Scute.Engine.Export;

/// <summary>
/// A Podman Quadlet `.container` unit (podman-systemd.unit(5)) that gives the container the same
/// context as the podman backend's command line (<see cref="PodmanArguments"/>): each setting
/// through its Quadlet key where one exists, the rest through PodmanArgs.
/// </summary>
public static class QuadletUnit
{
    /// <param name="spec">The environment's run spec, with its image set.</param>
    /// <param name="seccompFile">The resolved profile written beside the unit; null when unconfined.</param>
    public static string Write(RunSpec spec, string? seccompFile, string description)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var image = spec.Image ?? throw new ArgumentException("the spec names no image", nameof(spec));
        var s = new StringBuilder();
        s.AppendLine("# Written by `scute export quadlet`: the environment's security context for Podman Quadlet.");
        s.AppendLine("# Load the image first: scute export oci-archive <env> image.tar && podman load -i image.tar");
        s.AppendLine("[Unit]");
        s.AppendLine(Invariant($"Description={description}"));
        s.AppendLine();
        s.AppendLine("[Container]");
        s.AppendLine($"Image={image}");
        if (spec.EnvId is { } id)
        {
            s.AppendLine($"Label={PodmanArguments.EnvIdLabel}={id}");
        }

        s.AppendLine(Invariant($"User={spec.Uid}"));
        s.AppendLine(Invariant($"Group={spec.Gid}"));
        if (PodmanArguments.KeepsHostId(spec))
        {
            s.AppendLine("UserNS=keep-id");
        }

        s.AppendLine($"ReadOnly={Bool(spec.ReadOnlyRoot)}");
        // Podman's read-only tmpfs are /tmp, /var/tmp and /run: as the namespace backend mounts them.
        s.AppendLine($"ReadOnlyTmpfs={Bool(spec.ReadOnlyRoot)}");
        if (!spec.ReadOnlyRoot)
        {
            foreach (var (path, mode) in PodmanArguments.TmpfsDirs(readOnlyRoot: false))
            {
                s.AppendLine($"Tmpfs={path}:rw,nosuid,nodev,mode={mode}");
            }
        }

        s.AppendLine($"NoNewPrivileges={Bool(spec.NoNewPrivileges)}");
        s.AppendLine("DropCapability=ALL");
        foreach (var cap in spec.Capabilities.Order(StringComparer.Ordinal))
        {
            s.AppendLine($"AddCapability={cap}");
        }

        s.AppendLine($"SeccompProfile={seccompFile ?? "unconfined"}");
        s.AppendLine($"Network={(spec.NetworkIsolation ? "none" : "host")}");
        foreach (var device in spec.Devices.Where(d => d is not ("null" or "zero" or "full" or "random" or "urandom" or "tty")).Order(StringComparer.Ordinal))
        {
            s.AppendLine($"AddDevice=/dev/{device}");
        }

        foreach (var m in spec.Mounts)
        {
            s.AppendLine($"Volume={PodmanArguments.Volume(m)}");
        }

        foreach (var (name, value) in spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            s.AppendLine($"Environment={Quote($"{name}={value}")}");
        }

        var extra = new List<string> { "--unsetenv-all", "--hostname", spec.Hostname, "--workdir", spec.WorkingDir, "--mount=" + PodmanArguments.CgroupMask };
        if (spec.Home is { } home)
        {
            // The account's private home, as the podman backend gives it (U: owned by User=).
            extra.Add($"--tmpfs={home.Path}:rw,nosuid,nodev,mode=700,U");
        }

        if (spec.Limits.MemoryLimitMb is { } mb)
        {
            var bytes = checked(mb * 1024 * 1024);
            extra.Add(Invariant($"--ulimit=data={bytes}:{bytes}"));
        }

        s.AppendLine($"PodmanArgs={string.Join(' ', extra.Select(Quote))}");
        s.AppendLine();
        s.AppendLine("[Service]");
        s.AppendLine("Restart=on-failure");
        s.AppendLine();
        s.AppendLine("[Install]");
        s.AppendLine("WantedBy=default.target");
        return s.ToString();
    }

    /// <summary>systemd's quoting: a word with a space or quote goes in double quotes, backslash-escaped.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '%' or '$')
            ? word
            : "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal) + "\"";
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string Invariant(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
