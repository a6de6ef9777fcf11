using System.Globalization;

namespace Scute.Engine.Desktop;

/// <summary>The display number of a local X11 $DISPLAY (":1", ":1.0", "unix:1"); null for a remote or malformed one.</summary>
public static class DisplayName
{
    public static int? LocalNumber(string? display)
    {
        if (string.IsNullOrEmpty(display))
        {
            return null;
        }

        var colon = display.LastIndexOf(':');
        if (colon < 0 || display[..colon] is not ("" or "unix"))
        {
            return null; // host:N is TCP: not a socket Scute can pass alone
        }

        var rest = display[(colon + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var number = dot < 0 ? rest : rest[..dot];
        return number.Length is > 0 and <= 6 && number.All(char.IsAsciiDigit)
            ? int.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>$WAYLAND_DISPLAY's socket on the host: an absolute path, or a name under $XDG_RUNTIME_DIR.</summary>
    public static string? WaylandSocket(string? waylandDisplay, string? runtimeDir)
    {
        if (string.IsNullOrEmpty(waylandDisplay))
        {
            return null;
        }

        if (Path.IsPathRooted(waylandDisplay))
        {
            return waylandDisplay;
        }

        return string.IsNullOrEmpty(runtimeDir) || waylandDisplay.Contains('/', StringComparison.Ordinal) ? null : Path.Combine(runtimeDir, waylandDisplay);
    }
}
