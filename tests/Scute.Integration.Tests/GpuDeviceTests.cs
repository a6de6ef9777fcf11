using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// hardware.gpu with a Container Device Interface spec (issue 12, point 3), on a host without a GPU:
/// the test, as root, makes a harmless device node (a copy of /dev/null, c 1:3) under /dev and a
/// root-owned spec folder naming it as nvidia.com/gpu=all, with a library folder and a variable.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GpuDeviceTests : IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly string _specs;
    private readonly string _node;
    private readonly string _lib;

    public GpuDeviceTests()
    {
        _specs = Path.Combine("/tmp", "scute-cdi-" + _id);
        _node = "/dev/scute-gpu-" + _id;
        _lib = Path.Combine(_specs + "-lib");
    }

    public void Dispose()
    {
        File.Delete(_node);
        if (Directory.Exists(_specs))
        {
            Directory.Delete(_specs, recursive: true);
        }

        if (Directory.Exists(_lib))
        {
            Directory.Delete(_lib, recursive: true);
        }
    }

    private ScuteSession Session(string containerEdits)
    {
        Skip.IfNot(TestUser.RunningAsRoot, "needs root to make a device node and a root-owned CDI spec folder (./test.sh runs as root)");
        var mknod = TestUser.Run("mknod", ["-m", "666", _node, "c", "1", "3"]);
        Assert.True(mknod.ExitCode == 0, mknod.ToString());
        Directory.CreateDirectory(_lib);
        File.WriteAllText(Path.Combine(_lib, "marker"), "driver-" + _id);
        Directory.CreateDirectory(_specs);
        foreach (var dir in new[] { _specs, _lib })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        }

        File.WriteAllText(Path.Combine(_specs, "nvidia.yaml"), string.Create(CultureInfo.InvariantCulture, $"""
            cdiVersion: 0.5.0
            kind: nvidia.com/gpu
            devices:
            - name: all
              containerEdits:
                deviceNodes:
                - path: /dev/nvidia0
                  hostPath: {_node}
                  type: c
                  major: 1
                  minor: 3
            containerEdits:
            {containerEdits}
            """));
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Environment["SCUTE_CDI_SPEC_DIRS"] = _specs;
        return s;
    }

    private string Edits => $"""
          env: ["SCUTE_GPU_VISIBLE=all"]
          mounts:
          - hostPath: {_lib}
            containerPath: /usr/lib/scute-gpu
            options: [ro, nosuid, nodev, bind]
        """;

    [SkippableTheory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void The_cdi_device_node_mount_and_variable_reach_a_strict_environment(string backend)
    {
        Backends.SkipUnlessInstalled(backend);
        var s = Session(Edits);
        var env = s.Build(Backends.Use(Manifests.Strict, backend) + "\n[hardware]\ngpu = true\n");

        var r = s.Scute("exec", env, "--", "sh", "-c",
            "test -c /dev/nvidia0 && echo data > /dev/nvidia0 && echo node-writable; cat /usr/lib/scute-gpu/marker; echo; " +
            "echo visible=$SCUTE_GPU_VISIBLE; touch /usr/lib/scute-gpu/x 2>/dev/null || echo mount-read-only; ls /dev/dri 2>/dev/null | wc -l");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("node-writable", lines);
        Assert.Contains("driver-" + _id, lines);
        Assert.Contains("visible=all", lines);
        Assert.Contains("mount-read-only", lines);
    }

    [SkippableFact]
    public void Without_gpu_the_spec_is_not_applied()
    {
        var s = Session(Edits);
        var env = s.Build(Manifests.Strict);

        var r = s.Scute("exec", env, "--", "sh", "-c", "test -e /dev/nvidia0 && echo node; test -e /usr/lib/scute-gpu && echo lib; echo visible=$SCUTE_GPU_VISIBLE");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("visible=", r.Stdout.Trim());
    }

    [SkippableFact]
    public void A_spec_asking_for_a_hook_is_refused_with_one_line_and_exit_125()
    {
        var s = Session("""
              hooks:
              - hookName: createContainer
                path: /usr/bin/nvidia-ctk
                args: [nvidia-ctk, hook, update-ldcache]
            """);
        var env = s.Build(Manifests.Strict + "\n[hardware]\ngpu = true\n");

        var r = s.Scute("exec", env, "--", "true");

        Assert.Equal(125, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("CDI device nvidia.com/gpu=all", line, StringComparison.Ordinal);
        Assert.Contains("createContainer hook (/usr/bin/nvidia-ctk)", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Under_podman_the_same_node_mount_and_variable_arrive()
    {
        Podman.SkipIfMissing();
        var s = Session(Edits);
        var env = s.Build(Podman.Strict(Manifests.Strict) + "\n[hardware]\ngpu = true\n");

        var r = s.Scute("exec", env, "--", "sh", "-c",
            "test -c /dev/nvidia0 && echo data > /dev/nvidia0 && echo node-writable; cat /usr/lib/scute-gpu/marker; echo; echo visible=$SCUTE_GPU_VISIBLE");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("node-writable", lines);
        Assert.Contains("driver-" + _id, lines);
        Assert.Contains("visible=all", lines);
    }
}
