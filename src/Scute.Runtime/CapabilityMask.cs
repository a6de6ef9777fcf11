namespace Scute.Runtime;

/// <summary>Capability sets as the kernel takes them: one bit per <see cref="CapabilityNames"/> number.</summary>
public static class CapabilityMask
{
    /// <summary>Bit mask of the named capabilities; unknown names are an error.</summary>
    public static ulong Of(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ulong mask = 0;
        foreach (var name in names)
        {
            if (!CapabilityNames.TryGetNumber(name, out var n))
            {
                throw new ContainerSetupException($"unknown capability '{name}'");
            }

            mask |= 1UL << n;
        }

        return mask;
    }
}
