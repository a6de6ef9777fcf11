namespace Scute.Runtime.Tests;

public sealed class CapabilityMaskTests
{
    [Fact]
    public void Mask_sets_one_bit_per_capability()
    {
        Assert.Equal(0UL, CapabilityMask.Of([]));
        Assert.Equal(1UL << 10, CapabilityMask.Of(["NET_BIND_SERVICE"]));
        Assert.Equal((1UL << 0) | (1UL << 10) | (1UL << 40), CapabilityMask.Of(["CAP_CHOWN", "net_bind_service", "CHECKPOINT_RESTORE"]));
        Assert.Equal(1UL << 10, CapabilityMask.Of(["NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE"]));
    }

    [Fact]
    public void Unknown_name_in_a_mask_is_a_setup_error_naming_it()
    {
        var e = Assert.Throws<ContainerSetupException>(() => CapabilityMask.Of(["CHOWN", "TELEPORT"]));

        Assert.Contains("TELEPORT", e.Message, StringComparison.Ordinal);
    }
}
