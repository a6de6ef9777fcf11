namespace Scute.Engine.Sbom;

/// <summary>One package as a package database states it; <see cref="Maintainer"/> verbatim (null when the database names none).</summary>
/// <param name="Type">The purl type of the database: "deb" or "apk".</param>
public sealed record InstalledPackage(string Type, string Name, string Version, string? Architecture, string? Maintainer);
