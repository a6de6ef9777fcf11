using System.Text;
using Scute.Runtime.Seccomp;

namespace Scute.Runtime;

/// <summary>
/// The run spec as the namespace backend hands it to its stage (in a memfd): a versioned binary
/// record. Both ends are this binary, so the format is private; it replaces JSON because
/// deserializing JSON in the freshly started stage cost more than building the whole root.
/// The parts the prepared exec file also stores (limits, seccomp, root files, home) are public.
/// </summary>
public static class RunSpecCodec
{
    /// <summary>"SRS" and a version number: a stage of another build refuses the record.</summary>
    private const uint Magic = 0x01_53_52_53;

    public static byte[] Serialize(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.WriteStrings(spec.LowerDirs);
            w.Write(spec.UpperDir);
            w.Write(spec.WorkDir);
            w.Write(spec.MergedDir);
            w.WriteStrings(spec.Command);
            w.WritePairs(spec.Environment);
            w.Write(spec.WorkingDir);
            w.Write(spec.Hostname);
            w.Write(spec.Uid);
            w.Write(spec.Gid);
            w.Write(spec.ReadOnlyRoot);
            w.Write(spec.NoNewPrivileges);
            w.WriteStrings(spec.Capabilities);
            Write(w, spec.Seccomp);
            Write(w, spec.SeccompProgram);
            w.WriteList(spec.Tmpfs, (w, t) =>
            {
                w.Write(t.Path);
                w.Write(t.Mode);
                w.Write(t.UserOwned);
            });

            Write(w, spec.Mounts);
            Write(w, spec.RootFiles);
            Write(w, spec.Home);
            w.WriteStrings(spec.Devices);
            w.WriteList(spec.DeviceNodes, (w, d) =>
            {
                w.Write(d.HostPath);
                w.Write(d.Path);
            });

            w.Write(spec.NetworkIsolation);
            w.Write(spec.Terminal);
            w.WriteOptional(spec.ConsoleSocketFd);
            w.WriteOptional(spec.DeathPipeFd);
            Write(w, spec.IdMap);
            Write(w, spec.Limits);
            w.WriteOptional(spec.EnvId);
            w.WriteOptional(spec.Image);
        }

        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a whole record of this version.</exception>
    public static RunSpec Deserialize(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        try
        {
            r.ExpectMagic(Magic, "a run specification");
            var spec = new RunSpec
            {
                LowerDirs = r.ReadStrings(),
                UpperDir = r.ReadString(),
                WorkDir = r.ReadString(),
                MergedDir = r.ReadString(),
                Command = r.ReadStrings(),
                Environment = r.ReadPairs(),
                WorkingDir = r.ReadString(),
                Hostname = r.ReadString(),
                Uid = r.ReadInt32(),
                Gid = r.ReadInt32(),
                ReadOnlyRoot = r.ReadBoolean(),
                NoNewPrivileges = r.ReadBoolean(),
                Capabilities = r.ReadStrings(),
                Seccomp = ReadSeccomp(r),
                SeccompProgram = ReadSeccompProgram(r),
                Tmpfs = r.ReadList(r => new TmpfsMount(r.ReadString(), r.ReadString(), r.ReadBoolean())),
                Mounts = ReadMounts(r),
                RootFiles = ReadRootFiles(r),
                Home = ReadHome(r),
                Devices = r.ReadStrings(),
                DeviceNodes = r.ReadList(r => new DeviceNode(r.ReadString(), r.ReadString())),
                NetworkIsolation = r.ReadBoolean(),
                Terminal = r.ReadBoolean(),
                ConsoleSocketFd = r.ReadOptionalInt32(),
                DeathPipeFd = r.ReadOptionalInt32(),
                IdMap = ReadIdMap(r),
                Limits = ReadLimits(r),
                EnvId = r.ReadOptionalString(),
                Image = r.ReadOptionalString(),
            };
            return r.BaseStream.Position == r.BaseStream.Length ? spec : throw new InvalidDataException("bytes follow the run specification");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the run specification ends early", e);
        }
    }

    public static void Write(BinaryWriter w, SeccompSpec seccomp)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(seccomp);
        w.Write(seccomp.Mode);
        w.WriteOptional(seccomp.ProfileJson);
    }

    public static SeccompSpec ReadSeccomp(BinaryReader r) => new(r.ReadString(), r.ReadOptionalString());

    public static void Write(BinaryWriter w, SeccompProgram? program)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(program is not null);
        if (program is not null)
        {
            w.Write(program.Arch);
            w.Write(program.Kernel);
            w.WriteBlob(program.Filter);
        }
    }

    public static SeccompProgram? ReadSeccompProgram(BinaryReader r) =>
        r.ReadPresence() ? new SeccompProgram(r.ReadUInt32(), r.ReadString(), r.ReadBlob()) : null;

    public static void Write(BinaryWriter w, IReadOnlyList<BindMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteList(mounts, (w, m) =>
        {
            w.Write(m.Source);
            w.Write(m.Target);
            w.Write(m.ReadOnly);
        });
    }

    public static BindMount[] ReadMounts(BinaryReader r) => r.ReadList(r => new BindMount(r.ReadString(), r.ReadString(), r.ReadBoolean()));

    public static void Write(BinaryWriter w, IReadOnlyList<RootFile> files)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteList(files, (w, f) =>
        {
            w.Write(f.Target);
            w.WriteOptional(f.Content);
            w.WriteOptional(f.HostSource);
        });
    }

    public static RootFile[] ReadRootFiles(BinaryReader r) => r.ReadList(r => new RootFile(r.ReadString(), r.ReadOptionalString(), r.ReadOptionalString()));

    public static void Write(BinaryWriter w, HomeSpec? home)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(home is not null);
        if (home is not null)
        {
            w.Write(home.Path);
            w.Write(home.Tmpfs);
        }
    }

    public static HomeSpec? ReadHome(BinaryReader r) => r.ReadPresence() ? new HomeSpec(r.ReadString(), r.ReadBoolean()) : null;

    public static void Write(BinaryWriter w, LimitSpec limits)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(limits);
        w.WriteOptional(limits.CpuShares);
        w.WriteOptional(limits.MemoryLimitMb);
    }

    public static LimitSpec ReadLimits(BinaryReader r) => new(r.ReadOptionalInt64(), r.ReadOptionalInt64());

    private static void Write(BinaryWriter w, IdMap map)
    {
        w.Write(map.HostUid);
        w.Write(map.HostGid);
        w.Write(map.InsideUserForHost);
        w.Write(map.InsideGroupForHost);
        Write(w, map.SubUids);
        Write(w, map.SubGids);
    }

    private static IdMap ReadIdMap(BinaryReader r) => new()
    {
        HostUid = r.ReadInt32(),
        HostGid = r.ReadInt32(),
        InsideUserForHost = r.ReadInt32(),
        InsideGroupForHost = r.ReadInt32(),
        SubUids = ReadRange(r),
        SubGids = ReadRange(r),
    };

    private static void Write(BinaryWriter w, IdRange? range)
    {
        w.Write(range is not null);
        if (range is not null)
        {
            w.Write(range.Start);
            w.Write(range.Count);
        }
    }

    private static IdRange? ReadRange(BinaryReader r) => r.ReadPresence() ? new IdRange(r.ReadInt64(), r.ReadInt64()) : null;
}
