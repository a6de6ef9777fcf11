using System.Globalization;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Runtime;
using Scute.Runtime.Desktop;

namespace Scute.Engine.Desktop;

/// <summary>
/// Carries an environment's desktop grants into one run: the sockets as binds into a private
/// XDG_RUNTIME_DIR (a tmpfs of the user's, mode 700), the generated one-display Xauthority, the
/// session bus proxy, and the variables that point at them. The same run spec goes to every
/// backend. Lives as long as the run: disposing it stops the proxy and removes the host folder.
/// </summary>
public sealed class DesktopSession : IDisposable
{
    private readonly List<BindMount> mounts = [];
    private readonly List<TmpfsMount> tmpfs = [];
    private readonly Dictionary<string, string> variables = new(StringComparer.Ordinal);
    private readonly Func<string, string?> getenv;
    private readonly TextWriter notes;
    private string? hostFolder;
    private SessionBusProxy? proxy;

    private DesktopSession(Func<string, string?> getenv, TextWriter notes)
    {
        this.getenv = getenv;
        this.notes = notes;
    }

    public RunSpec Spec { get; private set; } = null!;

    /// <param name="getenv">The host session's variables (DISPLAY, WAYLAND_DISPLAY, XDG_RUNTIME_DIR ...).</param>
    /// <param name="notes">Where a grant the host cannot serve now is mentioned (no display, no bus).</param>
    public static DesktopSession Open(RunSpec spec, IReadOnlyList<DesktopGrant> grants, HostPolicy host, Func<string, string?> getenv, TextWriter notes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(host);
        var session = new DesktopSession(getenv, notes);
        try
        {
            session.Spec = session.Apply(spec, grants, host);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The private XDG_RUNTIME_DIR inside, as systemd-logind names it.</summary>
    public static string RuntimeDir(int uid) => string.Create(CultureInfo.InvariantCulture, $"/run/user/{uid}");

    private RunSpec Apply(RunSpec spec, IReadOnlyList<DesktopGrant> grants, HostPolicy host)
    {
        if (grants.Count == 0)
        {
            return spec;
        }

        // The host policy may have changed since the build: it is asked again at every run.
        foreach (var grant in grants)
        {
            if (!Allowed(grant, host))
            {
                throw new PolicyViolationException($"{grant.AskedBy}: the host policy ({string.Join(", ", host.Sources)}) no longer allows {grant.Kind}; refused at run time");
            }
        }

        var inside = RuntimeDir(spec.Uid);
        tmpfs.Add(new TmpfsMount(inside, "700", UserOwned: true));
        variables["XDG_RUNTIME_DIR"] = inside;
        if (grants.Any(g => g.Kind == DesktopGrants.Display))
        {
            AddDisplay(inside);
        }

        if (grants.Any(g => g.Kind == DesktopGrants.Audio))
        {
            AddAudio(inside);
        }

        var names = grants.Where(g => g.Kind == DesktopGrants.SessionBus).Select(g => g.Name).ToList();
        if (names.Count > 0)
        {
            AddSessionBus(inside, names);
        }

        var environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal);
        foreach (var (k, v) in variables)
        {
            environment[k] = v;
        }

        return spec with
        {
            Tmpfs = [.. spec.Tmpfs, .. tmpfs],
            Mounts = [.. spec.Mounts, .. mounts],
            Environment = environment,
        };
    }

    private static bool Allowed(DesktopGrant grant, HostPolicy host) => grant.Kind switch
    {
        DesktopGrants.Display => host.DisplayAllowed,
        DesktopGrants.Audio => host.AudioAllowed,
        DesktopGrants.Gpu => host.GpuAllowed,
        DesktopGrants.SessionBus => host.SessionBusAllowed,
        _ => false,
    };

    private void AddDisplay(string inside)
    {
        var any = false;
        if (DisplayName.WaylandSocket(getenv("WAYLAND_DISPLAY"), getenv("XDG_RUNTIME_DIR")) is { } wayland && Socket(wayland) is { } waylandSocket)
        {
            var name = Path.GetFileName(waylandSocket);
            mounts.Add(new BindMount(waylandSocket, $"{inside}/{name}", ReadOnly: false));
            variables["WAYLAND_DISPLAY"] = name;
            any = true;
        }

        if (DisplayName.LocalNumber(getenv("DISPLAY")) is { } number
            && Socket(string.Create(CultureInfo.InvariantCulture, $"/tmp/.X11-unix/X{number}")) is { } x11Socket)
        {
            // Only this display's socket, in a private /tmp/.X11-unix: the other displays' stay out.
            tmpfs.Add(new TmpfsMount("/tmp/.X11-unix", "1777", UserOwned: false));
            mounts.Add(new BindMount(x11Socket, string.Create(CultureInfo.InvariantCulture, $"/tmp/.X11-unix/X{number}"), ReadOnly: false));
            variables["DISPLAY"] = string.Create(CultureInfo.InvariantCulture, $":{number}");
            if (OneDisplayXauthority(number) is { } file)
            {
                mounts.Add(new BindMount(file, $"{inside}/Xauthority", ReadOnly: true));
                variables["XAUTHORITY"] = $"{inside}/Xauthority";
            }

            any = true;
        }

        if (!any)
        {
            notes.WriteLine("scute: the display grant has nothing to pass: no Wayland socket ($WAYLAND_DISPLAY) and no local X11 display socket ($DISPLAY)");
        }
    }

    private string? OneDisplayXauthority(int number)
    {
        var path = getenv("XAUTHORITY") is { Length: > 0 } x ? x
            : getenv("HOME") is { Length: > 0 } home ? Path.Combine(home, ".Xauthority") : null;
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        XauthEntry? entry;
        try
        {
            entry = Xauthority.ForDisplay(Xauthority.Parse(File.ReadAllBytes(path)), number, HostName());
        }
        catch (InvalidDataException e)
        {
            throw new EngineException($"{path}: {e.Message}", e);
        }

        if (entry is null)
        {
            notes.WriteLine($"scute: {path} has no cookie for display :{number}; the environment gets none");
            return null;
        }

        return WriteShared("Xauthority", Xauthority.Write([entry]));
    }

    /// <summary>The name xauth files local entries under: the kernel's, whole (MachineName stops at the first dot).</summary>
    private static string HostName()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        }
        catch (IOException)
        {
            return System.Environment.MachineName;
        }
    }

    private void AddAudio(string inside)
    {
        var runtime = getenv("XDG_RUNTIME_DIR");
        var pulse = getenv("PULSE_SERVER") is { } server && server.StartsWith("unix:", StringComparison.Ordinal) ? server["unix:".Length..]
            : string.IsNullOrEmpty(runtime) ? null : Path.Combine(runtime, "pulse", "native");
        var any = false;
        if (pulse is not null && Socket(pulse) is { } pulseSocket)
        {
            mounts.Add(new BindMount(pulseSocket, $"{inside}/pulse/native", ReadOnly: false));
            variables["PULSE_SERVER"] = $"unix:{inside}/pulse/native";
            // The server's cookie, copied: the environment's user is not the server's, so credentials alone do not let it in.
            var cookie = getenv("PULSE_COOKIE") is { Length: > 0 } c ? c
                : getenv("HOME") is { Length: > 0 } home ? Path.Combine(home, ".config", "pulse", "cookie") : null;
            if (cookie is not null && File.Exists(cookie))
            {
                mounts.Add(new BindMount(WriteShared("pulse-cookie", File.ReadAllBytes(cookie)), $"{inside}/pulse/cookie", ReadOnly: true));
                variables["PULSE_COOKIE"] = $"{inside}/pulse/cookie";
            }

            any = true;
        }

        var pipewire = getenv("PIPEWIRE_REMOTE") is { } remote && Path.IsPathRooted(remote) ? remote
            : string.IsNullOrEmpty(runtime) ? null : Path.Combine(runtime, "pipewire-0");
        if (pipewire is not null && Socket(pipewire) is { } pipewireSocket)
        {
            mounts.Add(new BindMount(pipewireSocket, $"{inside}/pipewire-0", ReadOnly: false));
            any = true;
        }

        if (!any)
        {
            notes.WriteLine("scute: the audio grant has no sound server to pass: no PulseAudio or PipeWire socket under $XDG_RUNTIME_DIR");
        }
    }

    private void AddSessionBus(string inside, IReadOnlyList<string> names)
    {
        var runtime = getenv("XDG_RUNTIME_DIR");
        var address = getenv("DBUS_SESSION_BUS_ADDRESS") is { Length: > 0 } a ? a
            : !string.IsNullOrEmpty(runtime) && Socket(Path.Combine(runtime, "bus")) is { } bus ? "unix:path=" + bus : null;
        if (address is null)
        {
            notes.WriteLine("scute: gui.dbus_talk: no session bus to talk to ($DBUS_SESSION_BUS_ADDRESS is not set)");
            return;
        }

        proxy = SessionBusProxy.Start(address, Path.Combine(HostFolder(), "bus"), names);
        mounts.Add(new BindMount(proxy.SocketPath, $"{inside}/bus", ReadOnly: false));
        variables["DBUS_SESSION_BUS_ADDRESS"] = $"unix:path={inside}/bus";
    }

    /// <summary>A file in the private host folder, readable by whichever user the environment runs as.</summary>
    private string WriteShared(string name, byte[] content)
    {
        var path = Path.Combine(HostFolder(), name);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    /// <summary>A folder of this run's generated files, mode 700 on the host.</summary>
    private string HostFolder() => hostFolder ??= Directory.CreateTempSubdirectory("scute-desktop-").FullName;

    /// <summary>The socket with its links resolved (the backend opens it without following one), or null when absent.</summary>
    private static string? Socket(string path) => HostPaths.RealPath(path) is { } real && File.Exists(real) ? real : null;

    public void Dispose()
    {
        proxy?.Dispose();
        proxy = null;
        if (hostFolder is not null)
        {
            try
            {
                Directory.Delete(hostFolder, recursive: true);
            }
            catch (IOException)
            {
                // a leftover in the temporary folder is harmless
            }

            hostFolder = null;
        }
    }
}
