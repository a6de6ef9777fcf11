namespace Scute.Policy;

/// <summary>
/// One desktop grant of DESIGN §2.3: what the environment gets of the user's session, and the
/// manifest key that asked for it (named in policy, inspect and the audit trail).
/// </summary>
/// <param name="Kind">One of <see cref="DesktopGrants.Kinds"/>.</param>
/// <param name="Name">The bus name for a session bus grant; else the kind.</param>
/// <param name="AskedBy">The manifest key: gui.apps, hardware.gpu, hardware.audio or gui.dbus_talk.</param>
public sealed record DesktopGrant(string Kind, string Name, string AskedBy)
{
    /// <summary>What the grant lets the environment's processes reach, in words.</summary>
    public string Describe() => Kind switch
    {
        DesktopGrants.Display => "the Wayland socket of $WAYLAND_DISPLAY and the X11 socket of $DISPLAY with a one-display Xauthority",
        DesktopGrants.Audio => "the PulseAudio and PipeWire sockets and /dev/snd",
        DesktopGrants.Gpu => "the GPU render nodes (/dev/dri/renderD*) and NVIDIA's CDI device where the host has its spec",
        DesktopGrants.SessionBus => $"the session bus name {Name}, through xdg-dbus-proxy (never the bus itself)",
        _ => Kind,
    };
}

/// <summary>Which desktop grants a manifest asks for.</summary>
public static class DesktopGrants
{
    public const string Display = "display";
    public const string Audio = "audio";
    public const string Gpu = "gpu";
    public const string SessionBus = "session_bus";

    /// <summary>The override key a strict manifest needs for each bus name.</summary>
    public const string BusOverridePrefix = "dbus_talk.";

    public static IReadOnlyList<string> Kinds { get; } = [Audio, Display, Gpu, SessionBus];

    /// <summary>Sorted by kind, then name. A display goes with [gui] apps or hardware.gpu (a GPU draws to a display).</summary>
    public static IReadOnlyList<DesktopGrant> For(Manifest.EnvironmentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var grants = new List<DesktopGrant>();
        if (manifest.Audio)
        {
            grants.Add(new DesktopGrant(Audio, Audio, "hardware.audio"));
        }

        if (manifest.Apps.Count > 0 || manifest.Gpu)
        {
            grants.Add(new DesktopGrant(Display, Display, manifest.Apps.Count > 0 ? "gui.apps" : "hardware.gpu"));
        }

        if (manifest.Gpu)
        {
            grants.Add(new DesktopGrant(Gpu, Gpu, "hardware.gpu"));
        }

        grants.AddRange(manifest.DbusTalk.Select(name => new DesktopGrant(SessionBus, name, "gui.dbus_talk")));
        return grants;
    }
}
