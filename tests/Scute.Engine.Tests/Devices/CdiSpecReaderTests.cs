using Scute.Engine.Devices;

namespace Scute.Engine.Tests.Devices;

/// <summary>One spec per CDI version Scute reads, each using what that version added; and the refusals.</summary>
public sealed class CdiSpecReaderTests
{
    private static CdiSpec Json(string json) => CdiSpecReader.Read("/etc/cdi/test.json", json);

    private static CdiSpec Yaml(string yaml) => CdiSpecReader.Read("/etc/cdi/test.yaml", yaml);

    private static string Refusal(Func<CdiSpec> read) => Assert.Throws<InvalidDataException>(read).Message;

    [Fact]
    public void Version_0_3_has_device_nodes_mounts_env_and_spec_level_edits()
    {
        var spec = Json("""
            {"cdiVersion":"0.3.0","kind":"vendor.com/gpu",
             "devices":[{"name":"gpu0","containerEdits":{"deviceNodes":[{"path":"/dev/vendor0","type":"c","major":195,"minor":0}]}}],
             "containerEdits":{"env":["VENDOR_VISIBLE=all"],"mounts":[{"hostPath":"/usr/lib/vendor","containerPath":"/usr/lib/vendor","options":["ro","bind"]}]}}
            """);
        Assert.Equal(("0.3.0", "vendor.com/gpu"), (spec.Version, spec.Kind));
        var node = Assert.Single(Assert.Single(spec.Devices).Edits.DeviceNodes);
        Assert.Equal(new CdiDeviceNode("/dev/vendor0", "/dev/vendor0", "c", 195, 0), node);
        Assert.Equal(["VENDOR_VISIBLE=all"], spec.Edits.Env);
        Assert.Equal(["ro", "bind"], Assert.Single(spec.Edits.Mounts).Options);
    }

    [Fact]
    public void Version_0_4_adds_the_mount_type_and_0_3_refuses_it()
    {
        const string Body = """
            "kind":"vendor.com/gpu","devices":[{"name":"a","containerEdits":{"mounts":[{"hostPath":"/x","containerPath":"/x","type":"none","options":["bind"]}]}}]}
            """;
        Assert.Equal("none", Assert.Single(Assert.Single(Json("{\"cdiVersion\":\"0.4.0\"," + Body).Devices).Edits.Mounts).Type);
        Assert.Contains("needs cdiVersion 0.4.0", Refusal(() => Json("{\"cdiVersion\":\"0.3.0\"," + Body)), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_0_5_adds_the_host_path_and_names_starting_with_a_digit()
    {
        var spec = Json("""
            {"cdiVersion":"0.5.0","kind":"vendor.com/gpu","devices":[{"name":"0","containerEdits":{"deviceNodes":[{"path":"/dev/gpu0","hostPath":"/dev/vendor-real0"}]}}]}
            """);
        Assert.Equal("/dev/vendor-real0", Assert.Single(Assert.Single(spec.Devices).Edits.DeviceNodes).HostPath);
        Assert.Contains("hostPath needs cdiVersion 0.5.0", Refusal(() => Json("""
            {"cdiVersion":"0.4.0","kind":"vendor.com/gpu","devices":[{"name":"a","containerEdits":{"deviceNodes":[{"path":"/dev/gpu0","hostPath":"/dev/x"}]}}]}
            """)), StringComparison.Ordinal);
        Assert.Contains("starting with a digit needs cdiVersion 0.5.0", Refusal(() => Json("""
            {"cdiVersion":"0.4.0","kind":"vendor.com/gpu","devices":[{"name":"0"}]}
            """)), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_0_6_adds_annotations_and_dots_in_the_kind_name()
    {
        var spec = Yaml("""
            cdiVersion: "0.6.0"
            kind: vendor.com/gpu.v2
            annotations:
              vendor.com/generated-by: test
            devices:
            - name: all
              annotations:
                note: "every gpu"
              containerEdits:
                env: ["A=1"]
            """);
        Assert.Equal("vendor.com/gpu.v2", spec.Kind);
        Assert.Contains("needs cdiVersion 0.6.0", Refusal(() => Yaml("""
            cdiVersion: 0.5.0
            kind: vendor.com/gpu
            annotations: {a: b}
            devices: [{name: all}]
            """)), StringComparison.Ordinal);
        Assert.Contains("a dot in the kind's name", Refusal(() => Yaml("""
            cdiVersion: 0.5.0
            kind: vendor.com/gpu.v2
            devices: [{name: all}]
            """)), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_0_7_adds_additional_gids_and_intel_rdt_which_scute_reads_but_will_not_apply()
    {
        var spec = Json("""
            {"cdiVersion":"0.7.0","kind":"vendor.com/gpu","devices":[{"name":"a","containerEdits":{"additionalGIDs":[0,44],"intelRdt":{"closID":"c1"}}}]}
            """);
        var refused = Assert.Single(spec.Devices).Edits.Refused;
        Assert.Equal(["additional groups 44", "Intel RDT settings (intelRdt)"], refused);
        Assert.Contains("needs cdiVersion 0.7.0", Refusal(() => Json("""
            {"cdiVersion":"0.6.0","kind":"vendor.com/gpu","devices":[{"name":"a","containerEdits":{"additionalGids":[44]}}]}
            """)), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_0_8_reads_what_0_7_does_and_an_nvidia_ctk_style_yaml_spec()
    {
        var spec = Yaml("""
            ---
            cdiVersion: 0.8.0
            kind: nvidia.com/gpu
            devices:
            - name: "0"
              containerEdits:
                deviceNodes:
                - path: /dev/nvidia0
            - name: all
              containerEdits:
                deviceNodes:
                - path: /dev/nvidia0
            containerEdits:
              env:
              - NVIDIA_VISIBLE_DEVICES=void
              deviceNodes:
              - path: /dev/nvidiactl
              hooks:
              - hookName: createContainer
                path: /usr/bin/nvidia-ctk
                args: [nvidia-ctk, hook, update-ldcache]
              mounts:
              - hostPath: /usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05
                containerPath: /usr/lib/x86_64-linux-gnu/libcuda.so.535.104.05
                options: [ro, nosuid, nodev, bind]
            """);
        Assert.Equal(["0", "all"], spec.Devices.Select(d => d.Name));
        Assert.Equal(["a createContainer hook (/usr/bin/nvidia-ctk)"], spec.Edits.Refused);
        Assert.Equal("/dev/nvidiactl", Assert.Single(spec.Edits.DeviceNodes).Path);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void Later_versions_read_too_and_net_devices_need_1_1(string version)
    {
        var json = $$$"""{"cdiVersion":"{{{version}}}","kind":"vendor.com/nic","devices":[{"name":"a","containerEdits":{"netDevices":[{"hostInterfaceName":"eth1","name":"eth0"}]}}]}""";
        if (version == "1.1.0")
        {
            Assert.Equal(["moving host network interface eth1 in"], Assert.Single(Json(json).Devices).Edits.Refused);
        }
        else
        {
            Assert.Contains("netDevices needs cdiVersion 1.1.0", Refusal(() => Json(json)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"cdiVersion":"0.2.0","kind":"v.com/a","devices":[{"name":"a"}]}""", "cdiVersion 0.2.0 is not one Scute reads")]
    [InlineData("""{"cdiVersion":"9.0.0","kind":"v.com/a","devices":[{"name":"a"}]}""", "cdiVersion 9.0.0 is not one Scute reads")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a","oops":1}]}""", "devices[0]: unknown field 'oops'")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"nokind","devices":[{"name":"a"}]}""", "is not vendor/class")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"Bad_Vendor/a","devices":[{"name":"a"}]}""", "is not a DNS subdomain")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[]}""", "devices is empty")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a"},{"name":"a"}]}""", "device 'a' is defined twice")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"-a"}]}""", "is not a device name")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a","containerEdits":{"deviceNodes":[{"path":"dev/x"}]}}]}""", "is not an absolute path")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a","containerEdits":{"env":["NOVALUE"]}}]}""", "is not NAME=VALUE")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a","containerEdits":{"deviceNodes":[{"path":"/dev/x","major":"195"}]}}]}""", "major is not an integer")]
    [InlineData("""{"cdiVersion":"0.3.0","kind":"v.com/a","devices":[{"name":"a"}]""", "not valid JSON")]
    public void Malformed_specs_are_refused_naming_the_file_and_field(string json, string expected)
    {
        var message = Refusal(() => Json(json));
        Assert.StartsWith("CDI spec /etc/cdi/test.json: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_names_match_regardless_of_case_as_in_cdis_own_loader()
    {
        var spec = Json("""{"CDIVersion":"0.5.0","Kind":"v.com/a","Devices":[{"Name":"a","ContainerEdits":{"DeviceNodes":[{"Path":"/dev/x","HostPath":"/dev/y"}]}}]}""");
        Assert.Equal("/dev/y", Assert.Single(Assert.Single(spec.Devices).Edits.DeviceNodes).HostPath);
    }

    [Fact]
    public void A_yaml_key_twice_is_refused()
    {
        Assert.Contains("not valid YAML", Refusal(() => Yaml("cdiVersion: 0.3.0\nkind: v.com/a\nkind: v.com/b\ndevices: [{name: a}]\n")), StringComparison.Ordinal);
    }
}
