using System.Text.RegularExpressions;

namespace Scute.Manifest.Parsing;

/// <summary>
/// [gui] dbus_talk: well-known D-Bus names, as the D-Bus specification defines them, or a
/// prefix ending in ".*" (xdg-dbus-proxy's own wildcard). A unique name (":1.42") is refused:
/// it names a connection of the moment, not a service.
/// </summary>
internal static partial class BusNameReader
{
    public const string Key = "dbus_talk";

    private const string Accepted = "an array of well-known bus names such as \"org.freedesktop.Notifications\" (two or more elements of letters, digits, '_' or '-', not starting with a digit, at most 255 characters), optionally ending in \".*\"";

    public static IReadOnlyList<string> Read(TableReader? table)
    {
        var items = table?.GetStringArray(Key, 256, Accepted);
        if (items is null)
        {
            return [];
        }

        var path = table!.Path + "." + Key;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (raw, line) in items)
        {
            var name = raw.Trim();
            if (!IsBusName(name))
            {
                throw table.Context.Error(line, path, $"'{name}' is not a well-known bus name", Accepted);
            }

            names.Add(name);
        }

        return [.. names];
    }

    public static bool IsBusName(string name)
    {
        var bare = name.EndsWith(".*", StringComparison.Ordinal) ? name[..^2] : name;
        return name.Length <= 255 && BusName().IsMatch(bare);
    }

    [GeneratedRegex("^[A-Za-z_-][A-Za-z0-9_-]*(\\.[A-Za-z_-][A-Za-z0-9_-]*)+\\z")]
    private static partial Regex BusName();
}
