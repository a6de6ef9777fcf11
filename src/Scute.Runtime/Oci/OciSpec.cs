using System.Text.Json.Serialization;

namespace Scute.Runtime.Oci;

// The part of the OCI runtime-spec 1.1 config.json Scute writes. Names follow the spec
// (camelCase); absent fields are left out, so a runtime applies its defaults only where Scute
// has nothing to say.

public sealed record OciConfig
{
    public string OciVersion { get; init; } = "1.1.0";

    public required OciProcess Process { get; init; }

    public required OciRoot Root { get; init; }

    public required string Hostname { get; init; }

    public required IReadOnlyList<OciMount> Mounts { get; init; }

    public required OciLinux Linux { get; init; }
}

public sealed record OciProcess
{
    public bool Terminal { get; init; }

    public required OciUser User { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public required IReadOnlyList<string> Env { get; init; }

    public required string Cwd { get; init; }

    public required OciCapabilities Capabilities { get; init; }

    public IReadOnlyList<OciRlimit> Rlimits { get; init; } = [];

    public bool NoNewPrivileges { get; init; }
}

/// <summary>additionalGids is written empty on purpose: no supplementary group of the caller reaches the process.</summary>
public sealed record OciUser(long Uid, long Gid, IReadOnlyList<long> AdditionalGids);

public sealed record OciCapabilities(
    IReadOnlyList<string> Bounding,
    IReadOnlyList<string> Effective,
    IReadOnlyList<string> Inheritable,
    IReadOnlyList<string> Permitted,
    IReadOnlyList<string> Ambient);

public sealed record OciRlimit(string Type, ulong Hard, ulong Soft);

public sealed record OciRoot(string Path, bool Readonly);

public sealed record OciMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);

public sealed record OciLinux
{
    public required IReadOnlyList<OciIdMapping> UidMappings { get; init; }

    public required IReadOnlyList<OciIdMapping> GidMappings { get; init; }

    public required IReadOnlyList<OciNamespace> Namespaces { get; init; }

    public OciSeccomp? Seccomp { get; init; }

    public required IReadOnlyList<string> MaskedPaths { get; init; }

    public required IReadOnlyList<string> ReadonlyPaths { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<OciNamespaceType>))]
public enum OciNamespaceType
{
    [JsonStringEnumMemberName("user")]
    User,
    [JsonStringEnumMemberName("mount")]
    Mount,
    [JsonStringEnumMemberName("pid")]
    Pid,
    [JsonStringEnumMemberName("ipc")]
    Ipc,
    [JsonStringEnumMemberName("uts")]
    Uts,
    [JsonStringEnumMemberName("network")]
    Network,
    [JsonStringEnumMemberName("cgroup")]
    Cgroup,
}

public sealed record OciNamespace(OciNamespaceType Type);

public sealed record OciIdMapping(
    [property: JsonPropertyName("containerID")] long ContainerId,
    [property: JsonPropertyName("hostID")] long HostId,
    long Size);

public sealed record OciSeccomp
{
    public required string DefaultAction { get; init; }

    public uint? DefaultErrnoRet { get; init; }

    public required IReadOnlyList<string> Architectures { get; init; }

    public required IReadOnlyList<OciSyscall> Syscalls { get; init; }
}

public sealed record OciSyscall
{
    public required IReadOnlyList<string> Names { get; init; }

    public required string Action { get; init; }

    public uint? ErrnoRet { get; init; }

    public IReadOnlyList<OciSeccompArg>? Args { get; init; }
}

public sealed record OciSeccompArg(int Index, ulong Value, ulong ValueTwo, string Op);

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciConfig))]
[JsonSerializable(typeof(OciSeccomp))]
public sealed partial class OciJsonContext : JsonSerializerContext;
