using Scute.Runtime.Namespace;

namespace Scute.Runtime.Tests;

/// <summary>The native stage's variable (parsed by nsstage.c) carries what unshare used to get as arguments.</summary>
public sealed class StageVariableTests
{
    [Fact]
    public void Subordinate_ranges_go_to_the_setuid_helpers_with_you_as_root()
    {
        var value = StageVariable.Format(Specs.Spec(Specs.Ranges()), 5, [6, 7]);

        Assert.Equal("0;5;6,7;h;0 4242 1 1 100000 65536;0 4343 1 1 200000 65536;0;", value);
    }

    [Fact]
    public void A_single_id_is_mapped_by_the_stage_itself_as_the_target_user()
    {
        var value = StageVariable.Format(Specs.Spec(Specs.Single(1001, 1002)), 5, [6]);

        Assert.Equal("0;5;6;s;1001 4242 1;1002 4343 1;0;", value);
    }

    [Fact]
    public void Only_one_sub_range_falls_back_to_the_single_id()
    {
        var map = Specs.Ranges() with { SubGids = null, InsideUserForHost = 1001, InsideGroupForHost = 1001 };

        var value = StageVariable.Format(Specs.Spec(map), -1, [6]);

        Assert.Equal("0;-1;6;s;1001 4242 1;1001 4343 1;0;", value);
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

    [Fact]
    public void A_strict_exec_passes_its_holder_record_and_linger_last_so_the_path_may_hold_semicolons()
    {
        var spec = Specs.Spec(Specs.Ranges()) with { UserNamespaceHolder = "/run/user/4242/scute/ab;c/holders/e1" };

        var value = StageVariable.Format(spec, 5, [6], lingerSeconds: 60);

        Assert.Equal("0;5;6;h;0 4242 1 1 100000 65536;0 4343 1 1 200000 65536;60;/run/user/4242/scute/ab;c/holders/e1", value);
    }

    [Theory]
    [InlineData(false, 60, "/run/user/4242/scute/x/holders/e1")]
    [InlineData(true, 0, "/run/user/4242/scute/x/holders/e1")]
    [InlineData(true, 60, null)]
    public void No_holder_for_a_single_id_map_a_zero_linger_or_no_record(bool ranges, int linger, string? record)
    {
        var spec = Specs.Spec(ranges ? Specs.Ranges() : Specs.Single()) with { UserNamespaceHolder = record };

        Assert.EndsWith(";0;", StageVariable.Format(spec, 5, [6], linger), StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_path_too_long_for_the_stage_means_no_holder()
    {
        var spec = Specs.Spec(Specs.Ranges()) with { UserNamespaceHolder = "/" + new string('a', 600) };

        Assert.EndsWith(";0;", StageVariable.Format(spec, 5, [6], 60), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 60)]
    [InlineData("", 60)]
    [InlineData("2", 2)]
    [InlineData("0", 0)]
    [InlineData("-1", 60)]
    [InlineData("x", 60)]
    [InlineData("999999", 60)]
    public void The_linger_is_60_seconds_unless_the_test_variable_says_otherwise(string? value, int seconds)
    {
        Assert.Equal(seconds, HolderLinger.Seconds(value));
    }
}
