using FsCheck.Xunit;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime.Tests;

/// <summary>The run spec's binary record: everything the backend sets reaches the stage unchanged, and damage is refused.</summary>
public sealed class RunSpecCodecTests
{
    // Strings reach the record as UTF-8: a lone surrogate (which no path or argument decoded
    // from the OS can hold) would come back as U+FFFD, so the generator's are replaced.
    private static string Clean(string? s) => new([.. (s ?? "").Select(c => char.IsSurrogate(c) ? 'x' : c)]);

    private static string[] Clean(string?[]? values) => [.. (values ?? []).Select(Clean)];

    [Property(MaxTest = 300)]
    public void Any_run_spec_round_trips(string?[] lower, string? upper, string?[] command, string?[] envKeys, int uid, int gid,
        bool readOnly, bool noNewPrivs, string?[] caps, bool profile, byte[]? filter, (string?, string?, bool)[]? mounts,
        string? fileContent, bool home, long? cpu, long? memory, bool ranges, int? consoleFd, int? deathFd, string? envId)
    {
        var keys = Clean(envKeys).Distinct(StringComparer.Ordinal).ToList();
        var spec = new RunSpec
        {
            LowerDirs = Clean(lower),
            UpperDir = Clean(upper),
            WorkDir = "/w",
            MergedDir = "/m",
            Command = Clean(command),
            Environment = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => Clean(p.k) + p.i, StringComparer.Ordinal),
            WorkingDir = "/home/" + Clean(upper),
            Hostname = Clean(envId),
            Uid = uid,
            Gid = gid,
            ReadOnlyRoot = readOnly,
            NoNewPrivileges = noNewPrivs,
            Capabilities = Clean(caps),
            Seccomp = profile ? new SeccompSpec("profile", "{\"x\":" + Clean(fileContent) + "}") : SeccompSpec.Default,
            SeccompProgram = filter is null ? null : new SeccompProgram(unchecked((uint)uid), Clean(upper), filter),
            Tmpfs = [new TmpfsMount("/tmp/.X11-unix", "1777", readOnly)],
            Mounts = [.. (mounts ?? []).Select(m => new BindMount(Clean(m.Item1), Clean(m.Item2), m.Item3))],
            RootFiles = [new RootFile("/etc/passwd", fileContent is null ? null : Clean(fileContent), fileContent is null ? "/etc/localtime" : null)],
            Home = home ? new HomeSpec("/home/u", readOnly) : null,
            Devices = Clean(caps),
            DeviceNodes = [.. Clean(lower).Select(l => new DeviceNode(l, "dri/" + l))],
            NetworkIsolation = !readOnly,
            Terminal = noNewPrivs,
            ConsoleSocketFd = consoleFd,
            DeathPipeFd = deathFd,
            IdMap = ranges ? Specs.Ranges() : Specs.Single(uid, gid),
            Limits = new LimitSpec(cpu, memory),
            EnvId = envId is null ? null : Clean(envId),
            Image = fileContent is null ? null : "localhost/scute-" + Clean(envId),
        };

        var back = RunSpecCodec.Deserialize(RunSpecCodec.Serialize(spec));

        AssertSame(spec, back);
    }

    [Fact]
    public void Every_truncation_of_a_record_is_refused()
    {
        var bytes = RunSpecCodec.Serialize(Specs.Spec(Specs.Ranges()) with { Environment = new Dictionary<string, string> { ["A"] = "b" }, Home = new HomeSpec("/h", true) });

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => RunSpecCodec.Deserialize(bytes[..length]));
        }
    }

    [Fact]
    public void Bytes_after_the_record_are_refused()
    {
        var bytes = RunSpecCodec.Serialize(Specs.Spec(Specs.Single()));

        Assert.Throws<InvalidDataException>(() => RunSpecCodec.Deserialize([.. bytes, 0]));
    }

    [Fact]
    public void A_record_of_another_format_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => RunSpecCodec.Deserialize("{\"lower_dirs\":[]}"u8.ToArray()));
    }

    [Fact]
    public void A_count_larger_than_the_record_is_refused_before_anything_is_allocated()
    {
        var bytes = RunSpecCodec.Serialize(Specs.Spec(Specs.Single()));
        // The lower dirs' count follows the 4-byte magic: claim 2^28 of them.
        byte[] forged = [.. bytes[..4], 0x80, 0x80, 0x80, 0x80, 0x01, .. bytes[5..]];

        var e = Assert.Throws<InvalidDataException>(() => RunSpecCodec.Deserialize(forged));
        Assert.Contains("count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_presence_flag_other_than_0_or_1_is_refused()
    {
        var spec = Specs.Spec(Specs.Single()) with { Image = "img" };
        var bytes = RunSpecCodec.Serialize(spec);
        // The image is last: its presence flag precedes its 1-byte length and 3 bytes.
        bytes[^5] = 7;

        Assert.Throws<InvalidDataException>(() => RunSpecCodec.Deserialize(bytes));
    }

    private static void AssertSame(RunSpec a, RunSpec b)
    {
        Assert.Equal(a.LowerDirs, b.LowerDirs);
        Assert.Equal((a.UpperDir, a.WorkDir, a.MergedDir, a.WorkingDir, a.Hostname), (b.UpperDir, b.WorkDir, b.MergedDir, b.WorkingDir, b.Hostname));
        Assert.Equal(a.Command, b.Command);
        Assert.Equal(a.Environment.ToList(), b.Environment.ToList());
        Assert.Equal((a.Uid, a.Gid, a.ReadOnlyRoot, a.NoNewPrivileges), (b.Uid, b.Gid, b.ReadOnlyRoot, b.NoNewPrivileges));
        Assert.Equal(a.Capabilities, b.Capabilities);
        Assert.Equal(a.Seccomp, b.Seccomp);
        Assert.Equal(a.SeccompProgram?.Arch, b.SeccompProgram?.Arch);
        Assert.Equal(a.SeccompProgram?.Kernel, b.SeccompProgram?.Kernel);
        Assert.Equal(a.SeccompProgram?.Filter, b.SeccompProgram?.Filter);
        Assert.Equal(a.Tmpfs, b.Tmpfs);
        Assert.Equal(a.Mounts, b.Mounts);
        Assert.Equal(a.RootFiles, b.RootFiles);
        Assert.Equal(a.Home, b.Home);
        Assert.Equal(a.Devices, b.Devices);
        Assert.Equal(a.DeviceNodes, b.DeviceNodes);
        Assert.Equal((a.NetworkIsolation, a.Terminal, a.ConsoleSocketFd, a.DeathPipeFd), (b.NetworkIsolation, b.Terminal, b.ConsoleSocketFd, b.DeathPipeFd));
        Assert.Equal(a.IdMap, b.IdMap);
        Assert.Equal(a.Limits, b.Limits);
        Assert.Equal((a.EnvId, a.Image), (b.EnvId, b.Image));
    }
}
