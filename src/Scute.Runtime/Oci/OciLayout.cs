namespace Scute.Runtime.Oci;

/// <summary>
/// One run's folder under the runtime dir. Inside the outer namespaces a tmpfs covers it, so
/// the runtime's state, the bundle and the staged mounts vanish with the run, even when scute
/// is killed; the host only ever sees the empty folder, which scute removes.
/// </summary>
public sealed record OciLayout(string StateDir)
{
    /// <summary>The runtime's --root.</summary>
    public string RuntimeRoot => Path.Combine(StateDir, "runtime");

    public string Bundle => Path.Combine(StateDir, "bundle");

    public string ConfigPath => Path.Combine(Bundle, "config.json");

    /// <summary>Where the runtime writes the command's pid (in the pid namespace it shares with Scute's stage).</summary>
    public string PidFile => Path.Combine(StateDir, "container.pid");

    public string Log => Path.Combine(StateDir, "runtime.log");

    /// <summary>The staged /dev lives at &lt;this&gt;/dev, built as the namespace backend builds its /dev.</summary>
    public string StageRoot => Path.Combine(StateDir, "stage");

    public string Dev => Path.Combine(StageRoot, "dev");

    /// <summary>Where the i-th validated mount source is bound before the runtime binds it into the container.</summary>
    public string Bind(int index) => Path.Combine(StateDir, "binds", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
