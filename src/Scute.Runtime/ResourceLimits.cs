using System.Runtime.InteropServices;

namespace Scute.Runtime;

/// <summary>
/// How each resource limit is enforced on this host, and applying it. Without a delegated
/// cgroup v2 subtree (rootless on a hybrid or undelegated host) memory is capped per process
/// with RLIMIT_DATA (private writable memory), and CPU shares have no rlimit equivalent:
/// that limit is reported as not enforced rather than pretended.
/// </summary>
public static partial class ResourceLimits
{
    private const int RlimitData = 2;

    public static IReadOnlyList<LimitEnforcement> Describe(LimitSpec limits) =>
    [
        limits.CpuShares is { } shares
            ? new LimitEnforcement("cpu_shares", shares.ToString(System.Globalization.CultureInfo.InvariantCulture), false, "not enforced: needs a delegated cgroup v2 subtree, and no rlimit fits")
            : new LimitEnforcement("cpu_shares", "not set", false, "-"),
        limits.MemoryLimitMb is { } mb
            ? new LimitEnforcement("memory_limit_mb", mb.ToString(System.Globalization.CultureInfo.InvariantCulture), true, "enforced per process with RLIMIT_DATA (private writable memory); no cgroup covers the whole environment")
            : new LimitEnforcement("memory_limit_mb", "not set", false, "-"),
    ];

    /// <summary>Applies the enforceable limits to the command stage before it runs the command.</summary>
    public static void Apply(int pid, LimitSpec limits)
    {
        if (limits.MemoryLimitMb is not { } mb)
        {
            return;
        }

        var bytes = checked((ulong)mb * 1024 * 1024);
        Span<ulong> limit = [bytes, bytes];
        if (Core.Interop.Libc.prlimit(pid, RlimitData, limit, 0) != 0)
        {
            throw new ContainerSetupException($"set the memory limit: {Core.Interop.Libc.Describe(Marshal.GetLastPInvokeError())}");
        }
    }
}

public sealed record LimitEnforcement(string Name, string Value, bool Enforced, string How);
