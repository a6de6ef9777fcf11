namespace Scute.Manifest;

public enum ImageSourceKind
{
    Builtin,
    LocalPath,
    HttpUrl,
    Registry,
    Alias,

    /// <summary><c>oci:&lt;dir&gt;[:tag]</c>: an OCI image layout on disk.</summary>
    OciLayout,

    /// <summary><c>oci-archive:&lt;file&gt;[:tag]</c>: a tar of an OCI image layout.</summary>
    OciArchive,

    /// <summary><c>docker-archive:&lt;file&gt;</c>: what <c>docker save</c> / <c>podman save</c> write.</summary>
    DockerArchive,
}

/// <summary>
/// A registry reference, parsed: <c>host[:port]/repository[:tag][@sha256:&lt;64 hex&gt;]</c>.
/// <see cref="Digest"/> is the full "sha256:..." string when the reference pins one.
/// </summary>
public sealed record RegistryReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>Splits a reference already classified as a registry one (see <see cref="ImageReference.Parse"/>).</summary>
    public static RegistryReference Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var at = location.IndexOf('@', StringComparison.Ordinal);
        var digest = at < 0 ? null : location[(at + 1)..];
        var name = at < 0 ? location : location[..at];
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new ImageReferenceException(location, "a registry reference needs a host and a repository (host[:port]/repository[:tag])");
        }

        var registry = name[..slash];
        var rest = name[(slash + 1)..];
        var colon = rest.LastIndexOf(':');
        var lastSlash = rest.LastIndexOf('/');
        return colon > lastSlash
            ? new RegistryReference(registry, rest[..colon], rest[(colon + 1)..], digest)
            : new RegistryReference(registry, rest, null, digest);
    }

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? string.Empty : ":" + Tag)}{(Digest is null ? string.Empty : "@" + Digest)}";
}

/// <summary>A base image reference as written in a manifest, classified (DESIGN §1, §5).</summary>
public sealed record ImageReference(string Written, ImageSourceKind Kind, string Location)
{
    private static readonly (string Prefix, ImageSourceKind Kind)[] LayoutTransports =
    [
        ("oci-archive:", ImageSourceKind.OciArchive), ("oci:", ImageSourceKind.OciLayout), ("docker-archive:", ImageSourceKind.DockerArchive),
    ];

    private static readonly HashSet<string> KnownAliasRoots = new(StringComparer.Ordinal)
    {
        "rolling", "debian", "ubuntu", "fedora", "arch", "alpine", "opensuse", "centos", "rocky", "alma", "void", "nixos",
    };

    /// <param name="baseFolder">Folder that relative local paths are resolved against (the manifest's).</param>
    public static ImageReference Parse(string written, string baseFolder)
    {
        var text = written.Trim();
        if (text.Length == 0)
        {
            throw new ImageReferenceException(written, "the image reference is empty");
        }

        if (text.StartsWith("builtin:", StringComparison.Ordinal))
        {
            var name = text["builtin:".Length..];
            return name == "busybox"
                ? new ImageReference(written, ImageSourceKind.Builtin, name)
                : throw new ImageReferenceException(written, $"unknown builtin image '{name}' (accepted: builtin:busybox)");
        }

        foreach (var (prefix, kind) in LayoutTransports)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                // The optional ":tag" of oci: and oci-archive: is kept in Location; the provider splits it.
                return new ImageReference(written, kind, ExpandPath(text[prefix.Length..], baseFolder));
            }
        }

        if (text.StartsWith("file://", StringComparison.Ordinal))
        {
            return new ImageReference(written, ImageSourceKind.LocalPath, Uri.UnescapeDataString(text["file://".Length..]));
        }

        if (text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal))
        {
            return new ImageReference(written, ImageSourceKind.HttpUrl, text);
        }

        if (text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
            || text.StartsWith('~'))
        {
            return new ImageReference(written, ImageSourceKind.LocalPath, ExpandPath(text, baseFolder));
        }

        var root = text.Split('/', ':', '@')[0];
        // An alias has no tag or digest; a dot in a later component is a version (ubuntu/24.04),
        // while a registry host would carry its dot in the first.
        if (KnownAliasRoots.Contains(root) && !text.Contains(':', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            return new ImageReference(written, ImageSourceKind.Alias, text);
        }

        return new ImageReference(written, ImageSourceKind.Registry, text);
    }

    private static readonly HashSet<string> FloatingTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "latest", "stable", "edge", "nightly", "rolling", "main", "master", "testing", "unstable", "sid", "dev", "current",
    };

    /// <summary>
    /// Whether the reference names fixed content (DESIGN §2.1): a registry reference with a digest
    /// or a version tag (one with a digit, not a floating word), a URL with #sha256=, or content on
    /// this machine (which the lock pins by its digest). Aliases and floating tags are not.
    /// </summary>
    public bool IsPinned => Kind switch
    {
        ImageSourceKind.Builtin or ImageSourceKind.LocalPath or ImageSourceKind.OciLayout or ImageSourceKind.OciArchive or ImageSourceKind.DockerArchive => true,
        ImageSourceKind.HttpUrl => Location.Contains("#sha256=", StringComparison.Ordinal),
        ImageSourceKind.Registry => Location.Contains("@sha256:", StringComparison.Ordinal) || Tag is { } tag && tag.Any(char.IsAsciiDigit) && !FloatingTags.Contains(tag),
        _ => false,
    };

    /// <summary>The tag of a registry reference (after the last ':' of the last path component), if any.</summary>
    public string? Tag
    {
        get
        {
            if (Kind != ImageSourceKind.Registry)
            {
                return null;
            }

            var name = Location.Split('@')[0];
            var last = name[(name.LastIndexOf('/') + 1)..];
            var colon = last.LastIndexOf(':');
            return colon < 0 ? null : last[(colon + 1)..];
        }
    }

    private static string ExpandPath(string path, string baseFolder)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = Path.Combine(home, path.Length > 2 ? path[2..] : string.Empty);
        }

        return Path.GetFullPath(path, baseFolder);
    }
}
