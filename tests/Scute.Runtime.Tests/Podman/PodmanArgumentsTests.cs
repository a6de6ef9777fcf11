using Scute.Runtime.Podman;

namespace Scute.Runtime.Tests.Podman;

public sealed class PodmanArgumentsTests
{
    private static RunSpec Strict() => Specs.Spec(Specs.Ranges(), network: true) with
    {
        Image = "localhost/scute/app:0123456789ab",
        EnvId = "e1",
        Hostname = "app",
        ReadOnlyRoot = true,
        Capabilities = ["NET_BIND_SERVICE", "CHOWN"],
        Mounts = [new BindMount("/home/u/project", "/workspace", ReadOnly: false), new BindMount("/home/u/data", "/data", ReadOnly: true)],
        Devices = ["null", "zero", "full", "random", "urandom", "tty", "dri"],
        Environment = new Dictionary<string, string> { ["TERM"] = "xterm", ["PATH"] = "/usr/bin:/bin" },
        WorkingDir = "/workspace",
        Limits = new LimitSpec(null, 64),
    };

    private static List<string> Args(RunSpec spec, string? seccomp = "/env/podman-seccomp.json") => [.. PodmanArguments.Run(spec, seccomp)];

    /// <summary>Each flag with its value, as adjacent arguments.</summary>
    private static void HasPair(List<string> args, string flag, string value) =>
        Assert.True(Enumerable.Range(0, args.Count - 1).Any(i => args[i] == flag && args[i + 1] == value), $"missing {flag} {value} in: {string.Join(' ', args)}");

    [Fact]
    public void Device_nodes_go_as_devices_at_their_own_path()
    {
        var args = Args(Strict() with { DeviceNodes = [new DeviceNode("/dev/dri/renderD128", "/dev/dri/renderD128"), new DeviceNode("/dev/scute-gpu-1", "/dev/nvidia0")] });

        HasPair(args, "--device", "/dev/dri/renderD128");
        HasPair(args, "--device", "/dev/scute-gpu-1:/dev/nvidia0");
    }

    [Fact]
    public void Strict_spec_gets_every_enforcing_flag()
    {
        var args = Args(Strict());

        Assert.Equal(["--log-level", "error", "--hooks-dir", "<run folder>", "run", "--rm", "-i"], args.Take(7));
        Assert.Contains("--read-only", args);
        Assert.Contains("--init", args);
        HasPair(args, "--pidfile", "<run folder>/pid");
        HasPair(args, "--tmpfs", "/tmp:rw,nosuid,nodev,mode=1777");
        HasPair(args, "--tmpfs", "/var/tmp:rw,nosuid,nodev,mode=1777");
        HasPair(args, "--tmpfs", "/run:rw,nosuid,nodev,mode=755");
        HasPair(args, "--security-opt", "no-new-privileges");
        HasPair(args, "--mount", "type=tmpfs,destination=/sys/fs/cgroup,ro=true,notmpcopyup");
        HasPair(args, "--cap-drop", "ALL");
        HasPair(args, "--cap-add", "CHOWN");
        HasPair(args, "--cap-add", "NET_BIND_SERVICE");
        HasPair(args, "--user", "1001:1001");
        HasPair(args, "--security-opt", "seccomp=/env/podman-seccomp.json");
        HasPair(args, "--network", "none");
        HasPair(args, "--device", "/dev/dri");
        HasPair(args, "--volume", "/home/u/project:/workspace:rw");
        HasPair(args, "--volume", "/home/u/data:/data:ro");
        HasPair(args, "--env", "TERM=xterm");
        HasPair(args, "--env", "PATH=/usr/bin:/bin");
        HasPair(args, "--label", "org.scute.env-id=e1");
        HasPair(args, "--ulimit", "data=67108864:67108864");
        HasPair(args, "--workdir", "/workspace");
        Assert.Contains("--unsetenv-all", args);
        Assert.DoesNotContain("--userns", args);
        Assert.DoesNotContain("-t", args);
        Assert.Equal(["localhost/scute/app:0123456789ab", "/bin/sh", "-c", "true"], args.TakeLast(4));
    }

    [Fact]
    public void Only_devices_podman_lacks_are_added()
    {
        var args = Args(Strict());

        Assert.Single(args, a => a == "--device");
    }

    [Fact]
    public void Dev_maps_the_invoking_user_with_keep_id_and_keeps_a_writable_root()
    {
        var spec = Specs.Spec(new IdMap { HostUid = 1001, HostGid = 1001, InsideUserForHost = 1001, InsideGroupForHost = 1001 }) with { Image = "i", ReadOnlyRoot = false };

        var args = Args(spec);

        HasPair(args, "--userns", "keep-id");
        HasPair(args, "--network", "host");
        Assert.DoesNotContain("--read-only", args);
        HasPair(args, "--tmpfs", "/run:rw,nosuid,nodev,mode=755");
        Assert.DoesNotContain("/tmp:rw,nosuid,nodev,mode=1777", args);
        // On the environment's overlay, not the image: its changes are kept.
        Assert.Equal(["--rootfs", "<run folder>/root", "/bin/sh", "-c", "true"], args.TakeLast(5));
        Assert.DoesNotContain("i", args);
    }

    [Fact]
    public void A_home_in_the_environments_overlay_is_no_tmpfs_but_under_a_read_only_root_it_is()
    {
        var dev = Specs.Spec(new IdMap { HostUid = 1001, HostGid = 1001, InsideUserForHost = 1001, InsideGroupForHost = 1001 }) with
        {
            Image = "i",
            ReadOnlyRoot = false,
            Home = new HomeSpec("/home/dev", Tmpfs: false),
        };

        Assert.DoesNotContain(Args(dev), a => a.StartsWith("/home/dev:", StringComparison.Ordinal));
        HasPair(Args(Strict() with { Home = new HomeSpec("/home/scute", Tmpfs: true) }), "--tmpfs", "/home/scute:rw,nosuid,nodev,mode=700,U");
    }

    [Fact]
    public void Unconfined_seccomp_and_a_terminal()
    {
        var args = Args(Strict() with { Terminal = true }, seccomp: null);

        HasPair(args, "--security-opt", "seccomp=unconfined");
        Assert.Contains("-t", args);
    }

    [Fact]
    public void A_mount_path_with_a_colon_is_refused_rather_than_misread()
    {
        var spec = Strict() with { Mounts = [new BindMount("/home/u/a:b", "/x", false)] };

        var e = Assert.Throws<ContainerSetupException>(() => Args(spec));

        Assert.Contains("/home/u/a:b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_image_is_a_setup_error()
    {
        Assert.Throws<ContainerSetupException>(() => Args(Strict() with { Image = null }));
    }

    [Fact]
    public void Quote_leaves_plain_words_and_quotes_the_rest()
    {
        Assert.Equal("podman run 'a b' 'it'\\''s' x=y", PodmanArguments.Quote(["podman", "run", "a b", "it's", "x=y"]));
    }
}
