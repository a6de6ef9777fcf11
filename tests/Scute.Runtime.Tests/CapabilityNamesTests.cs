namespace Scute.Runtime.Tests;

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

    [Fact]
    public void Mask_sets_one_bit_per_capability()
    {
        Assert.Equal(0UL, CapabilityNames.ToMask([]));
        Assert.Equal(1UL << 10, CapabilityNames.ToMask(["NET_BIND_SERVICE"]));
        Assert.Equal((1UL << 0) | (1UL << 10) | (1UL << 40), CapabilityNames.ToMask(["CAP_CHOWN", "net_bind_service", "CHECKPOINT_RESTORE"]));
        Assert.Equal(1UL << 10, CapabilityNames.ToMask(["NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE"]));
    }

    [Fact]
    public void Unknown_name_in_a_mask_is_a_setup_error_naming_it()
    {
        var e = Assert.Throws<ContainerSetupException>(() => CapabilityNames.ToMask(["CHOWN", "TELEPORT"]));

        Assert.Contains("TELEPORT", e.Message, StringComparison.Ordinal);
    }
}
