namespace Scute.Manifest;

/// <summary>A mount as the manifest wrote it: the lock must not depend on where the project is checked out.</summary>
public sealed record LockMount(string Label, string Written);
