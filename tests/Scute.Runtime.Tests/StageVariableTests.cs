using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests;

/// <summary>The native stage's variable (parsed by nsstage.c) carries what unshare used to get as arguments.</summary>
public sealed class StageVariableTests
{
    [Fact]
    public void Subordinate_ranges_go_to_the_setuid_helpers_with_you_as_root()
    {
        var value = StageVariable.Format(Specs.Spec(Specs.Ranges()), 5, [6, 7]);

        Assert.Equal("0;5;6,7;h;0 4242 1 1 100000 65536;0 4343 1 1 200000 65536", value);
    }

    [Fact]
    public void A_single_id_is_mapped_by_the_stage_itself_as_the_target_user()
    {
        var value = StageVariable.Format(Specs.Spec(Specs.Single(1001, 1002)), 5, [6]);

        Assert.Equal("0;5;6;s;1001 4242 1;1002 4343 1", value);
    }

    [Fact]
    public void Only_one_sub_range_falls_back_to_the_single_id()
    {
        var map = Specs.Ranges() with { SubGids = null, InsideUserForHost = 1001, InsideGroupForHost = 1001 };

        var value = StageVariable.Format(Specs.Spec(map), -1, [6]);

        Assert.Equal("0;-1;6;s;1001 4242 1;1001 4343 1", value);
    }

    [Theory]
    [InlineData(true, "1;")]
    [InlineData(false, "0;")]
    public void Net_namespace_only_with_network_isolation(bool isolated, string prefix)
    {
        foreach (var map in new[] { Specs.Single(), Specs.Ranges() })
        {
            Assert.StartsWith(prefix, StageVariable.Format(Specs.Spec(map, isolated), 5, [6]), StringComparison.Ordinal);
        }
    }
}
