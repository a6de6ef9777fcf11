using System.Text.Json.Nodes;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests.Seccomp;

public sealed class OciSeccompJsonTests
{
    private static JsonObject Default(params string[] caps) =>
        JsonNode.Parse(OciSeccompJson.Write(SeccompSpec.Default, caps, SeccompArch.X86_64)!)!.AsObject();

    private static IEnumerable<JsonObject> Rules(JsonObject profile) => profile["syscalls"]!.AsArray().Select(r => r!.AsObject());

    private static IEnumerable<string> Names(JsonObject rule) => rule["names"]!.AsArray().Select(n => n!.GetValue<string>());

    [Fact]
    public void Default_profile_is_resolved_with_no_includes_or_excludes_left()
    {
        var profile = Default();

        Assert.Equal("SCMP_ACT_ERRNO", profile["defaultAction"]!.GetValue<string>());
        Assert.Equal(1, profile["defaultErrnoRet"]!.GetValue<int>());
        Assert.Equal(["SCMP_ARCH_X86_64"], profile["architectures"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.All(Rules(profile), r =>
        {
            Assert.Null(r["includes"]);
            Assert.Null(r["excludes"]);
        });
        Assert.Contains(Rules(profile), r => Names(r).Contains("read"));
    }

    [Fact]
    public void A_capability_brings_back_only_its_own_syscalls()
    {
        var without = Default();
        var with = Default("SYS_TIME");

        Assert.DoesNotContain(Rules(without), r => Names(r).Contains("settimeofday"));
        Assert.Contains(Rules(with), r => Names(r).Contains("settimeofday") && r["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW");
        Assert.DoesNotContain(Rules(with), r => Names(r).Contains("mount"));
    }

    [Fact]
    public void Ioctl_is_never_allowed_unconditionally_so_libseccomp_cannot_hide_the_tiocsti_denial()
    {
        var ioctl = Rules(Default()).Where(r => Names(r).Contains("ioctl")).ToList();

        Assert.NotEmpty(ioctl);
        Assert.All(ioctl, r => Assert.NotNull(r["args"]));
        // Every allow rule tests the request on its low 32 bits and none of them lets TIOCSTI through.
        foreach (var rule in ioctl.Where(r => r["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW"))
        {
            var arg = rule["args"]!.AsArray().Single()!.AsObject();
            Assert.Equal("SCMP_CMP_MASKED_EQ", arg["op"]!.GetValue<string>());
            var mask = arg["value"]!.GetValue<ulong>();
            Assert.NotEqual(arg["valueTwo"]!.GetValue<ulong>(), DefaultProfile.Tiocsti & mask);
        }
    }

    [Fact]
    public void Names_this_architecture_lacks_are_left_out()
    {
        Assert.Contains(Rules(Default()), r => Names(r).Contains("arch_prctl"));
        var arm = JsonNode.Parse(OciSeccompJson.Write(SeccompSpec.Default, [], SeccompArch.Aarch64)!)!.AsObject();
        Assert.DoesNotContain(Rules(arm), r => Names(r).Contains("arch_prctl"));
    }

    [Fact]
    public void Unconfined_has_no_profile()
    {
        Assert.Null(OciSeccompJson.Write(SeccompSpec.Unconfined, [], SeccompArch.X86_64));
    }

    [Fact]
    public void A_custom_profile_is_resolved_too()
    {
        const string custom = """
            {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
              {"names":["reboot"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_SYS_BOOT"]}},
              {"names":["swapon"],"action":"SCMP_ACT_KILL_PROCESS"}]}
            """;

        var profile = JsonNode.Parse(OciSeccompJson.Write(new SeccompSpec(SeccompModes.Profile, custom), ["SYS_BOOT"], SeccompArch.X86_64)!)!.AsObject();

        Assert.Equal("SCMP_ACT_ALLOW", profile["defaultAction"]!.GetValue<string>());
        Assert.DoesNotContain(Rules(profile), r => Names(r).Contains("reboot"));
        Assert.Contains(Rules(profile), r => Names(r).Contains("swapon") && r["action"]!.GetValue<string>() == "SCMP_ACT_KILL_PROCESS");
    }
}
