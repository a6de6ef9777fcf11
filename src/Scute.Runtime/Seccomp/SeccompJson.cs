using System.Text.Json.Serialization;

namespace Scute.Runtime.Seccomp;

// The OCI/Docker seccomp profile as written; fields Scute does not use (archMap, comment, flags,
// listenerPath ...) are ignored. SeccompProfile.Parse turns this into the model.

internal sealed class SeccompProfileJson
{
    public string? DefaultAction { get; set; }

    public uint? DefaultErrnoRet { get; set; }

    public List<string>? Architectures { get; set; }

    public List<SeccompSyscallJson>? Syscalls { get; set; }
}

internal sealed class SeccompSyscallJson
{
    public List<string>? Names { get; set; }

    /// <summary>The older single-name form.</summary>
    public string? Name { get; set; }

    public string? Action { get; set; }

    public uint? ErrnoRet { get; set; }

    public List<SeccompArgJson>? Args { get; set; }

    public SeccompScopeJson? Includes { get; set; }

    public SeccompScopeJson? Excludes { get; set; }
}

internal sealed class SeccompArgJson
{
    public uint? Index { get; set; }

    public ulong Value { get; set; }

    public ulong ValueTwo { get; set; }

    public string? Op { get; set; }
}

internal sealed class SeccompScopeJson
{
    public List<string>? Caps { get; set; }

    public List<string>? Arches { get; set; }

    public string? MinKernel { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SeccompProfileJson))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
