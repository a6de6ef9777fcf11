using System.Text.RegularExpressions;

namespace Scute.Cli.DBus;

/// <summary>
/// Checks of what a caller sends before anything runs: a reference must look like an id, name or
/// snapshot digest (never an option or an @response-file to the parser), a manifest path must be
/// absolute (the service's folder means nothing to the caller).
/// </summary>
public static partial class Arguments
{
    public static string Reference(object value, string what = "environment (env_id, short_id or name)")
    {
        var text = (string)value;
        return Plain().IsMatch(text) ? text : throw new BusError(BusError.InvalidArgs, $"'{Shown(text)}' is not an {what}");
    }

    public static string ManifestPath(object value)
    {
        var text = (string)value;
        return text.Length > 0 && text[0] == '/' && !text.Contains('\0', StringComparison.Ordinal)
            ? text
            : throw new BusError(BusError.InvalidArgs, $"manifest_path '{Shown(text)}' must be an absolute path");
    }

    // The message names what was refused without echoing control characters.
    private static string Shown(string text) =>
        string.Concat(text.Take(80).Select(c => char.IsControl(c) ? '?' : c));

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_:.-]{0,127}\z")]
    private static partial Regex Plain();
}
