namespace Scute.Manifest;

/// <summary>A package pinned to the exact version the distribution resolved.</summary>
public sealed record ResolvedPackage(string Name, string Version);
