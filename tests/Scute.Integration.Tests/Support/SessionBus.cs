using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A private session bus: a real dbus-daemon --session run as the session's user, on a socket in
/// a folder of its own (its services folder is $XDG_DATA_HOME/dbus-1/services under that folder),
/// and the service and clients (busctl, gdbus) run as that user against it.
/// </summary>
public sealed class SessionBus : IDisposable
{
    private readonly Process daemon;
    private readonly List<Process> services = [];

    public SessionBus(ScuteSession session, bool installUnit = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        Skip.IfNot(File.Exists("/usr/bin/dbus-daemon") && File.Exists("/usr/bin/busctl") && File.Exists("/usr/bin/gdbus"),
            "dbus-daemon, busctl or gdbus is missing (packages dbus-daemon, systemd, libglib2.0-bin; ./test.sh installs them)");
        Session = session;
        Folder = session.User.NewFolder();
        Address = $"unix:path={Folder}/bus";
        if (installUnit)
        {
            Installed = Run([ScuteBinary.Path, "--store", session.Store, "dbus-service", "--install-user-unit"]);
        }

        daemon = TestUser.StartRedirected(
            [.. session.User.Prefix(Environment()), "dbus-daemon", "--session", "--nofork", "--print-address=1", $"--address={Address}"], Folder);
        var line = daemon.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || line.Result is null)
        {
            throw new InvalidOperationException("dbus-daemon did not start: " + daemon.StandardError.ReadToEnd());
        }
    }

    public ScuteSession Session { get; }

    public string Folder { get; }

    public string Address { get; }

    /// <summary>What --install-user-unit printed, when the bus was made with it.</summary>
    public ProcessResult? Installed { get; }

    /// <summary>The variables of every process on this bus: the bus address, the user's XDG folders under <see cref="Folder"/>.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["DBUS_SESSION_BUS_ADDRESS"] = Address,
        ["XDG_DATA_HOME"] = Path.Combine(Folder, "data"),
        ["XDG_CONFIG_HOME"] = Path.Combine(Folder, "config"),
        ["SCUTE_STORE"] = Session.Store,
    };

    /// <summary>Starts scute dbus-service and waits until it owns its names.</summary>
    public Process StartService(double idleSeconds = 120)
    {
        var p = TestUser.StartRedirected(
            [.. Session.User.Prefix(Environment()), ScuteBinary.Path, "dbus-service", "--idle-timeout", idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Session.Project);
        services.Add(p);
        var clock = Stopwatch.StartNew();
        while (!Owned("org.scute.Manager1") || !Owned("org.karapace.Manager1"))
        {
            if (p.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"scute dbus-service did not take its names (exit {(p.HasExited ? p.ExitCode : -1)}): {(p.HasExited ? p.StandardError.ReadToEnd() : string.Empty)}");
            }

            Thread.Sleep(50);
        }

        return p;
    }

    /// <summary>The pid of the process that owns <paramref name="name"/>, as the bus knows it.</summary>
    public int OwnerPid(string name) =>
        int.Parse(Run(["busctl", "--user", "call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", name]).Stdout.Trim()[2..], System.Globalization.CultureInfo.InvariantCulture);

    public bool Owned(string name) =>
        Run(["busctl", "--user", "call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", name]).Stdout.Trim() == "b true";

    /// <summary>busctl --user call with JSON output; the reply's values, or the failure.</summary>
    public BusReply Call(string @interface, string method, string signature = "", params string[] args)
    {
        var path = "/" + @interface.Replace('.', '/');
        var r = Run(["busctl", "--user", "--json=short", "--timeout=300", "call", "--", @interface, path, @interface, method, .. signature.Length == 0 ? Array.Empty<string>() : [signature, .. args]]);
        return new BusReply(r, r.ExitCode == 0 && r.Stdout.Length > 0 ? JsonNode.Parse(r.Stdout)!["data"]!.AsArray() : null);
    }

    /// <summary>gdbus call: shows the D-Bus error name of a failure ("GDBus.Error:&lt;name&gt;: &lt;message&gt;").</summary>
    public ProcessResult Gdbus(string @interface, string method, params string[] args) =>
        Run(["gdbus", "call", "--session", "--dest", @interface, "--object-path", "/" + @interface.Replace('.', '/'), "--method", $"{@interface}.{method}", .. args]);

    public ProcessResult Run(IReadOnlyList<string> argv) => Session.User.RunAs(argv, Session.Project, Environment(), timeoutMs: 300_000);

    public void Dispose()
    {
        foreach (var p in services.Append(daemon))
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }

            p.Dispose();
        }
    }
}

public sealed record BusReply(ProcessResult Process, JsonArray? Data)
{
    public bool Ok => Process.ExitCode == 0 && Data is not null;

    /// <summary>The JSON a method returned in its one string.</summary>
    public JsonNode Json => JsonNode.Parse(Data![0]!.GetValue<string>())!;

    public override string ToString() => Process.ToString();
}
