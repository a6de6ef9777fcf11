namespace Scute.Runtime.Oci;

/// <summary>
/// The two user namespaces of the oci backend. runc needs uid 0 mapped in the container's user
/// namespace and cannot write a map of ranges as an unprivileged user without newuidmap, so
/// Scute creates the outer namespace (as the namespace backend does, through unshare and
/// newuidmap): the invoking user is 0 there and its subordinate ranges 1..n. runc, root in it,
/// then writes the container's maps relative to it. Each mapping stays inside one extent of the
/// outer map, as the kernel requires.
/// </summary>
public static class OciIdMappings
{
    /// <summary>The container's mappings (container id → outer id) that show the host ids as the run spec's <see cref="IdMap"/> says.</summary>
    /// <param name="inside">The id the invoking user has inside (0 when the spec maps subordinate ranges).</param>
    /// <param name="outerRange">The subordinate range the outer namespace maps at 1.., or null when it maps the user alone.</param>
    public static IReadOnlyList<OciIdMapping> Container(long inside, IdRange? outerRange, string kind)
    {
        if (outerRange is null)
        {
            return inside == 0
                ? [new OciIdMapping(0, 0, 1)]
                : throw new ContainerSetupException(
                    $"the oci backend cannot run as {kind} {inside}: runc needs {kind} 0 mapped in the container, and without subordinate ids (/etc/sub{kind}, newuidmap) only your own id can be mapped; add a range for your user or use backend \"namespace\"");
        }

        var count = outerRange.Count;
        if (inside == 0)
        {
            return [new OciIdMapping(0, 0, 1), new OciIdMapping(1, 1, count)];
        }

        if (inside > count)
        {
            throw new ContainerSetupException($"the oci backend cannot map {kind} {inside}: it lies beyond the {count} subordinate ids");
        }

        // Podman's keep-id: the user keeps its id inside, the ids below it come from the range.
        var mappings = new List<OciIdMapping> { new(0, 1, inside), new(inside, 0, 1) };
        if (count > inside)
        {
            mappings.Add(new OciIdMapping(inside + 1, inside + 1, count - inside));
        }

        return mappings;
    }

    /// <summary>The outer namespace's id that a container id is under these mappings.</summary>
    public static long Outer(IReadOnlyList<OciIdMapping> mappings, long containerId) =>
        mappings.FirstOrDefault(m => containerId >= m.ContainerId && containerId < m.ContainerId + m.Size) is { } m
            ? m.HostId + (containerId - m.ContainerId)
            : throw new ContainerSetupException(FormattableString.Invariant($"id {containerId} is not mapped in the container"));

    /// <summary>unshare's arguments for the outer namespace: the user is root there, with its ranges when it has them.</summary>
    public static IReadOnlyList<string> OuterUnshareArguments(IdRange? uids, IdRange? gids)
    {
        var args = new List<string>();
        if (uids is not null && gids is not null)
        {
            args.Add(FormattableString.Invariant($"--map-users={uids.Start},1,{uids.Count}"));
            args.Add(FormattableString.Invariant($"--map-groups={gids.Start},1,{gids.Count}"));
        }

        args.Add("--map-root-user");
        return args;
    }
}
