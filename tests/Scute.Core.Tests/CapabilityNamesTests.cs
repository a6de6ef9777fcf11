namespace Scute.Core.Tests;

public sealed class CapabilityNamesTests
{
    [Theory]
    [InlineData("CHOWN", 0)]
    [InlineData("CAP_CHOWN", 0)]
    [InlineData("NET_BIND_SERVICE", 10)]
    [InlineData("cap_net_bind_service", 10)]
    [InlineData("Net_Raw", 13)]
    [InlineData("SYS_ADMIN", 21)]
    [InlineData("CAP_SYS_TIME", 25)]
    [InlineData("SETFCAP", 31)]
    [InlineData("CHECKPOINT_RESTORE", 40)]
    public void Known_names_map_to_their_kernel_numbers(string name, int expected)
    {
        Assert.True(CapabilityNames.TryGetNumber(name, out var n));
        Assert.Equal(expected, n);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CAP_")]
    [InlineData("NET_BIND")]
    [InlineData("CAP_CAP_CHOWN")]
    [InlineData("ALL")]
    public void Unknown_names_are_not_found(string name)
    {
        Assert.False(CapabilityNames.TryGetNumber(name, out _));
    }

    [Fact]
    public void Every_listed_name_is_its_own_index()
    {
        for (var i = 0; i < CapabilityNames.All.Count; i++)
        {
            Assert.True(CapabilityNames.TryGetNumber(CapabilityNames.All[i], out var n));
            Assert.Equal(i, n);
        }

        Assert.Equal(41, CapabilityNames.All.Count);
    }

    [Theory]
    [InlineData("NET_BIND_SERVICE", true)]
    [InlineData("CHECKPOINT_RESTORE", true)]
    [InlineData("net_bind_service", false)]
    [InlineData("CAP_NET_BIND_SERVICE", false)]
    [InlineData("TELEPORT", false)]
    public void Manifest_and_policy_names_are_known_only_as_written(string name, bool known)
    {
        // Policy and manifests compare exact upper-case names; only the runtime accepts CAP_ and any case.
        Assert.Equal(known, CapabilityNames.IsKnown(name));
    }
}
