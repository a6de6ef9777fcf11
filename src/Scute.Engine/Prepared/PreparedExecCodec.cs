using System.Text;
using Scute.Engine.Accounts;
using Scute.Policy;
using Scute.Runtime;

namespace Scute.Engine.Prepared;

/// <summary>
/// The body of env/&lt;env_id&gt;/exec.prepared: a versioned binary record (docs/storage-format.md).
/// Binary, not JSON, because exec reads it on every run and JSON's reflection-built metadata
/// cost more than the rest of the read. A record of another version is not damage: exec then
/// computes what it holds, as it does without a file.
/// </summary>
internal static class PreparedExecCodec
{
    /// <summary>"SPX" and the record's version (<see cref="PreparedExec.CurrentVersion"/>).</summary>
    private const uint Magic = 0x53_50_58_00 | PreparedExec.CurrentVersion;

    public static byte[] Serialize(PreparedExec p)
    {
        ArgumentNullException.ThrowIfNull(p);
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(p.Basis);
            w.Write(p.HostPolicyDigest);
            Write(w, p.HostPolicy);
            Write(w, p.Security);
            w.WriteStrings(p.LowerDirs);
            w.WriteList(p.Mounts, (w, m) =>
            {
                w.Write(m.Label);
                w.Write(m.Source);
                w.WriteOptional(m.ResolvedAtBuild);
                w.Write(m.Target);
                w.Write(m.ReadOnly);
            });

            RunSpecCodec.Write(w, p.Limits);
            RunSpecCodec.Write(w, p.Seccomp);
            RunSpecCodec.Write(w, p.SeccompProgram);
            Write(w, p.Account);
            Write(w, p.LowerAnswers);
        }

        return buffer.ToArray();
    }

    /// <summary>The record; null when it is of another version (or another format, as the JSON of the first prepared files).</summary>
    /// <exception cref="InvalidDataException">It claims this version but is not a whole record.</exception>
    public static PreparedExec? Deserialize(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Deserialize(bytes.AsMemory());
    }

    /// <summary>As <see cref="Deserialize(byte[])"/>, for the record that follows the file's checksum line, without copying it.</summary>
    public static PreparedExec? Deserialize(ReadOnlyMemory<byte> record)
    {
        if (record.Length < 4 || BitConverter.ToUInt32(record.Span) != Magic
            || !System.Runtime.InteropServices.MemoryMarshal.TryGetArray(record, out var bytes))
        {
            return null;
        }

        using var r = new BinaryReader(new MemoryStream(bytes.Array!, bytes.Offset + 4, bytes.Count - 4, writable: false), Encoding.UTF8);
        try
        {
            var prepared = new PreparedExec
            {
                Version = PreparedExec.CurrentVersion,
                Basis = r.ReadString(),
                HostPolicyDigest = r.ReadString(),
                HostPolicy = ReadHostPolicy(r),
                Security = ReadSecurity(r),
                LowerDirs = r.ReadStrings(),
                Mounts = r.ReadList(r => new PreparedMount(r.ReadString(), r.ReadString(), r.ReadOptionalString(), r.ReadString(), r.ReadBoolean())),
                Limits = RunSpecCodec.ReadLimits(r),
                Seccomp = RunSpecCodec.ReadSeccomp(r),
                SeccompProgram = RunSpecCodec.ReadSeccompProgram(r),
                Account = ReadAccount(r),
                LowerAnswers = ReadLowerAnswers(r),
            };
            return r.BaseStream.Position == r.BaseStream.Length ? prepared : throw new InvalidDataException("bytes follow the record");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the record ends early", e);
        }
    }

    private static void Write(BinaryWriter w, PreparedHostPolicy h)
    {
        w.WriteStrings(h.AllowedProfiles);
        w.Write(h.OverridesAllowed);
        w.WriteStrings(h.MountPrefixes);
        w.WriteStrings(h.DeniedMountSources);
        w.WriteStrings(h.AllowedCapabilities);
        w.WriteStrings(h.EnvironmentAllow);
        w.WriteStrings(h.EnvironmentDeny);
        w.WriteOptional(h.MaxCpuShares);
        w.WriteOptional(h.MaxMemoryMb);
        w.Write(h.GpuAllowed);
        w.Write(h.AudioAllowed);
        w.Write(h.DisplayAllowed);
        w.Write(h.SessionBusAllowed);
        w.Write(h.NetworkAllowed);
        w.WriteStrings(h.Sources);
    }

    private static PreparedHostPolicy ReadHostPolicy(BinaryReader r) => new()
    {
        AllowedProfiles = r.ReadStrings(),
        OverridesAllowed = r.ReadBoolean(),
        MountPrefixes = r.ReadStrings(),
        DeniedMountSources = r.ReadStrings(),
        AllowedCapabilities = r.ReadStrings(),
        EnvironmentAllow = r.ReadStrings(),
        EnvironmentDeny = r.ReadStrings(),
        MaxCpuShares = r.ReadOptionalInt64(),
        MaxMemoryMb = r.ReadOptionalInt64(),
        GpuAllowed = r.ReadBoolean(),
        AudioAllowed = r.ReadBoolean(),
        DisplayAllowed = r.ReadBoolean(),
        SessionBusAllowed = r.ReadBoolean(),
        NetworkAllowed = r.ReadBoolean(),
        Sources = r.ReadStrings(),
    };

    private static void Write(BinaryWriter w, EffectiveSecurityContext s)
    {
        w.Write(s.Profile);
        w.WriteOptional(s.User);
        w.WriteOptional(s.Group);
        w.Write(s.ReadOnlyRoot);
        w.Write(s.NoNewPrivileges);
        w.WritePairs(s.Capabilities);
        w.Write(s.Seccomp);
        w.WriteStrings(s.Devices);
        w.WriteStrings(s.EnvironmentAllowed);
        w.Write(s.NetworkIsolation);
        w.WritePairs(s.Overrides);
        w.WriteList(s.Desktop, (w, g) =>
        {
            w.Write(g.Kind);
            w.Write(g.Name);
            w.Write(g.AskedBy);
        });
    }

    private static EffectiveSecurityContext ReadSecurity(BinaryReader r) => new()
    {
        Profile = r.ReadString(),
        User = r.ReadOptionalInt32(),
        Group = r.ReadOptionalInt32(),
        ReadOnlyRoot = r.ReadBoolean(),
        NoNewPrivileges = r.ReadBoolean(),
        Capabilities = r.ReadPairs(),
        Seccomp = r.ReadString(),
        Devices = r.ReadStrings(),
        EnvironmentAllowed = r.ReadStrings(),
        NetworkIsolation = r.ReadBoolean(),
        Overrides = r.ReadPairs(),
        Desktop = r.ReadList(r => new DesktopGrant(r.ReadString(), r.ReadString(), r.ReadString())),
    };

    private static void Write(BinaryWriter w, PreparedAccount? a)
    {
        w.Write(a is not null);
        if (a is null)
        {
            return;
        }

        w.Write(a.Uid);
        w.Write(a.Gid);
        w.Write(a.Name);
        w.Write(a.Gecos);
        w.Write(a.Home);
        w.Write(a.Shell);
        RunSpecCodec.Write(w, a.Files);
        RunSpecCodec.Write(w, a.HomeSpec);
        w.Write(a.HomeExists);
        w.WriteStrings(a.LoginShell);
    }

    private static PreparedAccount? ReadAccount(BinaryReader r) => !r.ReadPresence() ? null : new PreparedAccount
    {
        Uid = r.ReadInt32(),
        Gid = r.ReadInt32(),
        Name = r.ReadString(),
        Gecos = r.ReadString(),
        Home = r.ReadString(),
        Shell = r.ReadString(),
        Files = RunSpecCodec.ReadRootFiles(r),
        HomeSpec = RunSpecCodec.ReadHome(r),
        HomeExists = r.ReadBoolean(),
        LoginShell = r.ReadStrings(),
    };

    private static void Write(BinaryWriter w, LowerTreeAnswers? a)
    {
        w.Write(a is not null);
        if (a is null)
        {
            return;
        }

        w.WriteList(a.Files, (w, f) =>
        {
            w.Write(f.Key);
            w.WriteOptional(f.Value);
        });
        w.WriteList(a.Paths, (w, p) =>
        {
            w.Write(p.Key);
            w.Write(p.Value);
        });
    }

    private static LowerTreeAnswers? ReadLowerAnswers(BinaryReader r)
    {
        if (!r.ReadPresence())
        {
            return null;
        }

        var answers = new LowerTreeAnswers();
        foreach (var (path, text) in r.ReadList(r => (r.ReadString(), r.ReadOptionalString())))
        {
            answers.Files[path] = text;
        }

        foreach (var (path, found) in r.ReadList(r => (r.ReadString(), r.ReadBoolean())))
        {
            answers.Paths[path] = found;
        }

        return answers;
    }
}
