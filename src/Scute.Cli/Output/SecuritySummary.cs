using System.Globalization;
using Scute.Policy;

namespace Scute.Cli.Output;

/// <summary>What is enforced, in words; never claims more than the backend applies.</summary>
public static class SecuritySummary
{
    public static IReadOnlyList<(string Key, string Value)> Lines(EffectiveSecurityContext s) =>
    [
        ("profile", s.Profile),
        ("user", s.User is { } u ? string.Create(CultureInfo.InvariantCulture, $"{u}:{s.Group}") : "the invoking user, at the same uid"),
        ("root filesystem", s.ReadOnlyRoot ? "read-only (/tmp, /var/tmp, /run are private tmpfs)" : "writable overlay (changes kept in the environment)"),
        ("no_new_privileges", s.NoNewPrivileges ? "on" : "off"),
        ("capabilities", s.Capabilities.Count == 0 ? "none (all dropped)" : string.Join(", ", s.Capabilities.Keys) + " (all others dropped)"),
        ("seccomp", s.Seccomp switch
        {
            SeccompModes.Default => "default profile (denies mount, namespaces, kexec, modules, bpf, ptrace, keyrings, clock and swap changes, reboot ...)",
            SeccompModes.Unconfined => "unconfined (no filter)",
            var path => "custom profile " + path,
        }),
        ("devices", string.Join(" ", s.Devices)),
        ("environment", "only " + string.Join(" ", s.EnvironmentAllowed) + " pass"),
        ("network", s.NetworkIsolation ? "isolated (loopback only)" : "host network"),
        .. s.Desktop.Count == 0
            ? [("desktop", "no grant (no display, audio, GPU or session bus)")]
            : s.Desktop.Select(g => ("desktop " + g.Kind, $"{g.Describe()} (asked for by {g.AskedBy})")),
    ];

    public static void Write(TextWriter writer, EffectiveSecurityContext s)
    {
        foreach (var (key, value) in Lines(s))
        {
            writer.WriteLine($"  {key,-18} {value}");
        }
    }
}
