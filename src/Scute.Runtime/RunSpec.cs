using Scute.Runtime.Seccomp;

namespace Scute.Runtime;

/// <summary>
/// Everything a backend needs to start one process in an environment. Built by the engine
/// from a validated manifest and effective security context; a backend never sees a manifest.
/// </summary>
public sealed record RunSpec
{
    /// <summary>Read-only lower layers of the root filesystem, topmost first.</summary>
    public required IReadOnlyList<string> LowerDirs { get; init; }

    /// <summary>The environment's overlay upper dir: its persistent changes.</summary>
    public required string UpperDir { get; init; }

    public required string WorkDir { get; init; }

    public required string MergedDir { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string WorkingDir { get; init; } = "/";

    public string Hostname { get; init; } = "scute";

    public required int Uid { get; init; }

    public required int Gid { get; init; }

    public bool ReadOnlyRoot { get; init; }

    public bool NoNewPrivileges { get; init; } = true;

    /// <summary>Capability names without the CAP_ prefix, kept after all others are dropped.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The seccomp filter installed before the command runs.</summary>
    public SeccompSpec Seccomp { get; init; } = SeccompSpec.Default;

    /// <summary>
    /// <see cref="Seccomp"/> compiled at build for <see cref="Capabilities"/>: the command stage
    /// installs it as it is when it fits this machine's architecture; null: it compiles the filter.
    /// </summary>
    public SeccompProgram? SeccompProgram { get; init; }

    /// <summary>
    /// Private tmpfs folders mounted after /tmp and /run and before <see cref="Mounts"/>, so binds
    /// can land in them (the desktop's private XDG_RUNTIME_DIR, /tmp/.X11-unix).
    /// </summary>
    public IReadOnlyList<TmpfsMount> Tmpfs { get; init; } = [];

    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>
    /// Files laid read-only over paths of the root (the generated /etc/passwd and /etc/group,
    /// the host's /etc/localtime) without writing to the image's layers.
    /// </summary>
    public IReadOnlyList<RootFile> RootFiles { get; init; } = [];

    /// <summary>The account's home when the init stage must provide it; null when the tree or a mount already does.</summary>
    public HomeSpec? Home { get; init; }

    /// <summary>Host device nodes bound in, by path under /dev.</summary>
    public IReadOnlyList<string> Devices { get; init; } = ["null", "zero", "full", "random", "urandom", "tty"];

    /// <summary>Host device nodes bound at their own path under /dev (GPU render nodes, CDI device nodes).</summary>
    public IReadOnlyList<DeviceNode> DeviceNodes { get; init; } = [];

    public bool NetworkIsolation { get; init; }

    /// <summary>Give the command its own pseudo-terminal when Scute's stdin is a terminal (enter).</summary>
    public bool Terminal { get; init; }

    /// <summary>Set by the backend: the socket the init stage sends the terminal's master over.</summary>
    public int? ConsoleSocketFd { get; init; }

    /// <summary>
    /// Set by the backend: the read end of a pipe whose write end only the scute process holds.
    /// End-of-file means scute is gone, and the init stage then ends the environment's processes.
    /// </summary>
    public int? DeathPipeFd { get; init; }

    public required IdMap IdMap { get; init; }

    public LimitSpec Limits { get; init; } = new(null, null);

    /// <summary>The environment's env_id: labels what the podman backend creates, so stop finds it.</summary>
    public string? EnvId { get; init; }

    /// <summary>The podman backend's image (the environment exported and loaded); set by the engine.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// The namespace backend, subordinate ranges only: the record of the environment's
    /// user-namespace holder, which a strict exec joins instead of mapping a new namespace (see
    /// nsstage.c); null for none. The outer process's alone: not part of the encoded spec.
    /// </summary>
    public string? UserNamespaceHolder { get; init; }
}

/// <summary>Resource limits as the manifest states them; <see cref="ResourceLimits"/> says which are enforced, and how.</summary>
public sealed record LimitSpec(long? CpuShares, long? MemoryLimitMb);

public sealed record BindMount(string Source, string Target, bool ReadOnly);

/// <summary>The host's device node at <paramref name="HostPath"/>, bound at <paramref name="Path"/> (under /dev) inside.</summary>
public sealed record DeviceNode(string HostPath, string Path);

/// <summary>A private tmpfs at <paramref name="Path"/> with this octal mode, owned by the command's user when <paramref name="UserOwned"/>, else by root inside.</summary>
public sealed record TmpfsMount(string Path, string Mode, bool UserOwned);

/// <summary>One file laid over <paramref name="Target"/>: either this text, or the host file at <paramref name="HostSource"/> (a canonical path).</summary>
public sealed record RootFile(string Target, string? Content, string? HostSource);

/// <summary>A home folder the init stage makes: a private tmpfs (under a read-only root) or a folder in the upper layer, owned by the user.</summary>
public sealed record HomeSpec(string Path, bool Tmpfs);

/// <summary>How host ids appear inside the user namespace.</summary>
public sealed record IdMap
{
    /// <summary>Host uid/gid that becomes <see cref="InsideUserForHost"/> inside.</summary>
    public required int HostUid { get; init; }

    public required int HostGid { get; init; }

    /// <summary>Inside uid/gid the invoking user maps to (0 when subordinate ranges exist).</summary>
    public required int InsideUserForHost { get; init; }

    public required int InsideGroupForHost { get; init; }

    /// <summary>Subordinate ranges mapped at 1.. inside; null when only the single id is mapped.</summary>
    public IdRange? SubUids { get; init; }

    public IdRange? SubGids { get; init; }
}

public sealed record IdRange(long Start, long Count);
