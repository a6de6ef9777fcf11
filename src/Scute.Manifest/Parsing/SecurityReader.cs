using System.Text.RegularExpressions;

namespace Scute.Manifest.Parsing;

/// <summary>
/// [security], [security.capabilities] and [security.overrides]. Only shape is checked here; whether a
/// value or an override is allowed is decided by the policy layer against the host policy.
/// </summary>
internal static partial class SecurityReader
{
    private static readonly string[] Profiles = ["strict", "dev"];
    private const string Id = "an integer from 0 to 2147483647";
    private const string Reason = "a string giving the reason";

    public static SecuritySection? Read(TableReader? table)
    {
        if (table is null)
        {
            return null;
        }

        table.Context.RecordLine(table.Path, table.Line);
        table.RejectUnknownKeys("profile", "user", "group", "readonly_root", "no_new_privileges", "seccomp", "capabilities", "overrides");

        var profile = SecuritySection.DefaultProfile;
        var profileEntry = table.Find("profile");
        if (profileEntry is not null)
        {
            var accepted = string.Join(", ", Profiles);
            profile = table.ReadString(profileEntry, accepted).ToLowerInvariant();
            if (Array.IndexOf(Profiles, profile) < 0)
            {
                throw table.Context.Error(profileEntry.Line, profileEntry.Path, $"unknown profile \"{profile}\"", accepted);
            }
        }

        string? seccomp = null;
        var seccompEntry = table.Find("seccomp");
        if (seccompEntry is not null)
        {
            const string accepted = "default, unconfined or a path to an OCI seccomp JSON file";
            seccomp = table.ReadString(seccompEntry, accepted);
            if (seccomp.Length == 0 || TextRules.HasControl(seccomp))
            {
                throw table.Context.Error(seccompEntry.Line, seccompEntry.Path, "empty or contains a control character", accepted);
            }
        }

        return new SecuritySection
        {
            Profile = profile,
            User = ReadId(table, "user"),
            Group = ReadId(table, "group"),
            ReadonlyRoot = table.GetBool("readonly_root"),
            NoNewPrivileges = table.GetBool("no_new_privileges"),
            Seccomp = seccomp,
            Capabilities = ReadCapabilities(table.GetTable("capabilities")),
            Overrides = ReadOverrides(table.GetTable("overrides")),
        };
    }

    private static int? ReadId(TableReader table, string key)
    {
        var value = table.GetInteger(key, Id);
        if (value is < 0 or > int.MaxValue)
        {
            var entry = table.Find(key)!;
            throw table.Context.Error(entry.Line, entry.Path, $"{value} is out of range", Id);
        }

        return (int?)value;
    }

    private static SortedDictionary<string, string> ReadCapabilities(TableReader? table)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
        {
            return result;
        }

        foreach (var entry in table.Entries)
        {
            var name = entry.Key.ToUpperInvariant();
            if (name.StartsWith("CAP_", StringComparison.Ordinal))
            {
                name = name["CAP_".Length..];
            }

            if (!CapabilityPattern().IsMatch(name))
            {
                throw table.Context.Error(entry.Line, entry.Path, "invalid capability name", "a capability name such as NET_BIND_SERVICE or CAP_NET_BIND_SERVICE");
            }

            table.Context.RecordLine(entry.Path, entry.Line);
            table.Context.RecordLine(table.Path + "." + name, entry.Line);
            var reason = ReadReason(table, entry);
            if (!result.TryAdd(name, reason))
            {
                throw table.Context.Error(entry.Line, entry.Path, $"capability {name} is listed twice", "each capability once");
            }
        }

        return result;
    }

    private const string AcceptedOverride = "a field name of 1 to 64 lower-case letters or '_', such as readonly_root, \"mounts.<label>\" for a mount, or \"dbus_talk.<bus name>\" for a session bus name";

    private static SortedDictionary<string, string> ReadOverrides(TableReader? table)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
        {
            return result;
        }

        foreach (var entry in table.Entries)
        {
            if (entry is { Key: "mounts", Table: { } mounts })
            {
                // mounts.<label> = "why", unquoted, is a table to TOML; it means the same as "mounts.<label>".
                foreach (var inner in new TableReader(table.Context, mounts).Entries)
                {
                    AddOverride(table, result, "mounts." + inner.Key, inner);
                }
            }
            else if (entry is { Key: "dbus_talk", Table: { } names })
            {
                // dbus_talk.org.freedesktop.Notifications = "why", unquoted, is nested tables to TOML.
                AddNested(table, result, "dbus_talk", names);
            }
            else
            {
                AddOverride(table, result, entry.Key, entry);
            }
        }

        return result;
    }

    private static void AddNested(TableReader table, SortedDictionary<string, string> result, string prefix, TomlNode node)
    {
        foreach (var inner in new TableReader(table.Context, node).Entries)
        {
            if (inner.Table is { } deeper)
            {
                AddNested(table, result, prefix + "." + inner.Key, deeper);
            }
            else
            {
                AddOverride(table, result, prefix + "." + inner.Key, inner);
            }
        }
    }

    private static void AddOverride(TableReader table, SortedDictionary<string, string> result, string name, TomlEntry entry)
    {
        if (!OverridePattern().IsMatch(name))
        {
            throw table.Context.Error(entry.Line, entry.Path, "invalid override name", AcceptedOverride);
        }

        table.Context.RecordLine(entry.Path, entry.Line);
        if (!result.TryAdd(name, ReadReason(table, entry)))
        {
            throw table.Context.Error(entry.Line, entry.Path, $"override {name} is written twice", "each override once");
        }
    }

    // An empty reason is kept: the policy layer rejects it with a message naming the default it relaxes.
    private static string ReadReason(TableReader table, TomlEntry entry)
    {
        var reason = table.ReadString(entry, Reason);
        if (TextRules.HasControlOtherThanWhitespace(reason))
        {
            throw table.Context.Error(entry.Line, entry.Path, "reason contains a control character", Reason);
        }

        return reason;
    }

    [GeneratedRegex("^[A-Z0-9_]{1,64}\\z")]
    private static partial Regex CapabilityPattern();

    // A field name, "mounts." and a mount label (the label grammar of MountReader), or "dbus_talk." and a bus name.
    [GeneratedRegex("^([a-z_]{1,64}|mounts\\.[A-Za-z0-9_-]{1,64}|dbus_talk\\.[A-Za-z0-9_.*-]{1,255})\\z")]
    private static partial Regex OverridePattern();
}
