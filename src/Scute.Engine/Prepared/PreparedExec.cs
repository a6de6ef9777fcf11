using Scute.Policy;
using Scute.Runtime;
using Scute.Runtime.Seccomp;

namespace Scute.Engine.Prepared;

/// <summary>
/// What exec needs that depends only on the environment, computed at build and stored in its
/// folder (<see cref="PreparedExecFile"/>): exec verifies it instead of recomputing it.
/// What can change between runs (mount sources, the caller's values, the host's devices) is
/// still checked at every exec (docs/storage-format.md, "What build stores for exec").
/// </summary>
internal sealed record PreparedExec
{
    /// <summary>3: with the lower layers' account answers; 2: binary (<see cref="PreparedExecCodec"/>), with the security context; 1 was JSON.</summary>
    public const int CurrentVersion = 3;

    public required int Version { get; init; }

    /// <summary>Digest of the metadata fields it was made from (<see cref="PreparedBasis"/>): another value means stale, not damaged.</summary>
    public required string Basis { get; init; }

    /// <summary>Digest of the host policy files' bytes at build (<see cref="Scute.Policy.Host.HostPolicyFiles"/>).</summary>
    public required string HostPolicyDigest { get; init; }

    public required PreparedHostPolicy HostPolicy { get; init; }

    /// <summary>The metadata's security context, parsed (the basis covers the JSON it came from).</summary>
    public required EffectiveSecurityContext Security { get; init; }

    public required IReadOnlyList<string> LowerDirs { get; init; }

    public required IReadOnlyList<PreparedMount> Mounts { get; init; }

    public required LimitSpec Limits { get; init; }

    public required SeccompSpec Seccomp { get; init; }

    /// <summary>The seccomp filter compiled for the granted capabilities; null when unconfined.</summary>
    public SeccompProgram? SeccompProgram { get; init; }

    /// <summary>The account under a root nothing can change (a fixed uid and a read-only root); null: looked up at every exec.</summary>
    public PreparedAccount? Account { get; init; }

    /// <summary>Under a writable root: what the lower layers answered to the account lookup at build; null: they are read at every exec.</summary>
    public Accounts.LowerTreeAnswers? LowerAnswers { get; init; }
}

/// <summary>A manifest mount: the source as the manifest resolved it, and where its symlinks led at build (realpath again at exec).</summary>
internal sealed record PreparedMount(string Label, string Source, string? ResolvedAtBuild, string Target, bool ReadOnly);

/// <summary>The account plan's result for one uid and gid: the passwd entry, the /etc files to lay, the home to provide, the login shell.</summary>
internal sealed record PreparedAccount
{
    public required int Uid { get; init; }

    public required int Gid { get; init; }

    public required string Name { get; init; }

    public required string Gecos { get; init; }

    public required string Home { get; init; }

    public required string Shell { get; init; }

    public required IReadOnlyList<RootFile> Files { get; init; }

    public HomeSpec? HomeSpec { get; init; }

    /// <summary>Whether the tree has the home folder (where the command starts without --workdir).</summary>
    public required bool HomeExists { get; init; }

    public required IReadOnlyList<string> LoginShell { get; init; }
}
