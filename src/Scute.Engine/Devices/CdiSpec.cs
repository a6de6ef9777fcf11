namespace Scute.Engine.Devices;

/// <summary>One Container Device Interface spec file, as read (CDI spec 0.3.0 to 1.1.0).</summary>
public sealed record CdiSpec(string File, string Version, string Kind, IReadOnlyList<CdiDevice> Devices, CdiEdits Edits);

/// <summary>A device the spec offers: its edits apply only when it is asked for.</summary>
public sealed record CdiDevice(string Name, CdiEdits Edits);

/// <summary>
/// The containerEdits of a spec or a device. Only what Scute applies has a field; what it refuses
/// (hooks, additional groups, Intel RDT, network devices) is kept as a description for the refusal.
/// </summary>
public sealed record CdiEdits(
    IReadOnlyList<string> Env,
    IReadOnlyList<CdiDeviceNode> DeviceNodes,
    IReadOnlyList<CdiMount> Mounts,
    IReadOnlyList<string> Refused)
{
    public static CdiEdits None { get; } = new([], [], [], []);
}

/// <param name="Path">Where the node appears inside.</param>
/// <param name="HostPath">The host's node (CDI: defaults to <paramref name="Path"/>).</param>
/// <param name="Type">"c", "b" (or "u"), when the spec states it.</param>
public sealed record CdiDeviceNode(string Path, string HostPath, string? Type, long? Major, long? Minor);

public sealed record CdiMount(string HostPath, string ContainerPath, string? Type, IReadOnlyList<string> Options);
