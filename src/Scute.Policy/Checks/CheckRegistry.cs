namespace Scute.Policy.Checks;

/// <summary>Every check, in one explicit list (no reflection, NativeAOT-safe); ids are unique.</summary>
public static class CheckRegistry
{
    public static IReadOnlyList<IPolicyCheck> All { get; } = Validate(
    [
        new ProfileCheck(),
        new OverridesCheck(),
        new UserCheck(),
        new ReadOnlyRootCheck(),
        new NoNewPrivilegesCheck(),
        new CapabilitiesCheck(),
        new ImagePinningCheck(),
        new SeccompCheck(),
        new MountsCheck(),
        new SecretMountsCheck(),
        new DevicesCheck(),
        new DesktopCheck(),
        new NetworkCheck(),
        new ResourceLimitsCheck(),
        new PackageNamesCheck(),
    ]);

    private static IReadOnlyList<IPolicyCheck> Validate(IReadOnlyList<IPolicyCheck> checks)
    {
        var duplicate = checks.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? checks : throw new InvalidOperationException($"policy check id '{duplicate.Key}' is registered twice");
    }
}
