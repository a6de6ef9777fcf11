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
/// A base image reference as written in a manifest, classified and validated (DESIGN §1, §5). Every
/// malformed reference is refused here, at parse time, so nothing is downloaded for a typo.
/// </summary>
/// <param name="Location">
/// What the provider reads: the expanded path, the URL without its fragment, the lower-case alias
/// name, the registry reference as written, or the builtin's name.
/// </param>
public sealed record ImageReference(string Written, ImageSourceKind Kind, string Location)
{
    private const string Sha256Fragment = "sha256=";

    private static readonly (string Prefix, ImageSourceKind Kind)[] LayoutTransports =
    [
        ("oci-archive:", ImageSourceKind.OciArchive), ("oci:", ImageSourceKind.OciLayout), ("docker-archive:", ImageSourceKind.DockerArchive),
    ];

    private static readonly HashSet<string> FloatingTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "latest", "stable", "edge", "nightly", "rolling", "main", "master", "testing", "unstable", "sid", "dev", "current",
    };

    /// <summary>For an http(s) URL written with <c>#sha256=&lt;hex&gt;</c>: the 64 lower-case hex the download must hash to.</summary>
    public string? Sha256 { get; init; }

    /// <summary>For an alias: the simplestreams (os, release) it names.</summary>
    public ImageAlias? Alias { get; init; }

    /// <summary>For a registry reference: its parts.</summary>
    public RegistryReference? Registry { get; init; }

    /// <summary>The tag of a registry reference, if it has one.</summary>
    public string? Tag => Registry?.Tag;

    /// <summary>
    /// Whether the reference alone names fixed content (DESIGN §2.1): a registry reference with a
    /// digest or a version tag (one with a digit, not a floating word), a URL with #sha256=, or
    /// content on this machine (which the lock pins by its digest). Aliases are not: only a lock
    /// holding the version and sha256 pins them (<see cref="LockedImage"/>).
    /// </summary>
    public bool IsPinned => Kind switch
    {
        ImageSourceKind.Builtin or ImageSourceKind.LocalPath or ImageSourceKind.OciLayout or ImageSourceKind.OciArchive or ImageSourceKind.DockerArchive => true,
        ImageSourceKind.HttpUrl => Sha256 is not null,
        ImageSourceKind.Registry => Registry!.Digest is not null || (Tag is { } tag && tag.Any(char.IsAsciiDigit) && !FloatingTags.Contains(tag)),
        _ => false,
    };

    /// <param name="baseFolder">Folder that relative local paths are resolved against (the manifest's).</param>
    /// <exception cref="ImageReferenceException">The reference is malformed or a short name.</exception>
    public static ImageReference Parse(string written, string baseFolder)
    {
        ArgumentNullException.ThrowIfNull(written);
        var text = written.Trim();
        if (text.Length == 0)
        {
            throw new ImageReferenceException(written, "the image reference is empty");
        }

        RefuseControlCharacters(written);
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
                var rest = text[prefix.Length..];
                // The optional ":tag" of oci: and oci-archive: is kept in Location; the provider splits it.
                return rest.Length == 0 || rest.StartsWith(':')
                    ? throw new ImageReferenceException(written, $"{prefix} needs a path: {prefix}<path>")
                    : new ImageReference(written, kind, ExpandPath(rest, baseFolder));
            }
        }

        if (text.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = Uri.UnescapeDataString(text["file://".Length..]);
            return path.StartsWith('/')
                ? new ImageReference(written, ImageSourceKind.LocalPath, path)
                : throw new ImageReferenceException(written, "a file:// URL names a file on this machine by its absolute path: file:///path/to/rootfs.tar");
        }

        if (text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal))
        {
            return ParseUrl(written, text);
        }

        if (text is "." or ".." || text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
            || text == "~" || text.StartsWith("~/", StringComparison.Ordinal))
        {
            return new ImageReference(written, ImageSourceKind.LocalPath, ExpandPath(text, baseFolder));
        }

        if (ImageAliases.TryGet(text, out var alias))
        {
            return new ImageReference(written, ImageSourceKind.Alias, alias.Name) { Alias = alias };
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? null : text[..slash];
        if (first is not null && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            return new ImageReference(written, ImageSourceKind.Registry, text) { Registry = RegistryReference.Parse(text) };
        }

        throw ShortName(written, text, baseFolder);
    }

    /// <summary>Control and format characters have no place in any reference and would reach the terminal in messages.</summary>
    internal static void RefuseControlCharacters(string written)
    {
        foreach (var c in written)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                throw new ImageReferenceException(written, $"the reference contains the control character U+{(int)c:X4}");
            }
        }
    }

    private static ImageReference ParseUrl(string written, string text)
    {
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var url = hash < 0 ? text : text[..hash];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ImageReferenceException(written, "not a valid URL (accepted: http(s)://host/path/rootfs.tar.xz[#sha256=<64 hex>])");
        }

        if (uri.UserInfo.Length > 0)
        {
            // They would be written into the lock and the store's metadata in clear.
            throw new ImageReferenceException(written, "credentials in the URL are not accepted; serve the tarball without them or download it and use its path");
        }

        string? sha256 = null;
        if (hash >= 0)
        {
            var fragment = text[(hash + 1)..];
            if (!fragment.StartsWith(Sha256Fragment, StringComparison.Ordinal))
            {
                throw new ImageReferenceException(written, $"URL fragment '#{fragment}' is not accepted (accepted: #sha256=<64 lower-case hex>)");
            }

            sha256 = fragment[Sha256Fragment.Length..];
            if (sha256.Length != 64 || !sha256.AsSpan().ContainsOnlyLowerHex())
            {
                throw new ImageReferenceException(written, $"#sha256= needs exactly 64 lower-case hex characters (it has {sha256.Length}: '{sha256}')");
            }
        }

        return new ImageReference(written, ImageSourceKind.HttpUrl, url) { Sha256 = sha256 };
    }

    /// <summary>
    /// A name that is neither an alias nor qualified by a registry host. Podman's enforcing
    /// short-name mode refuses these too: searching registries for them is how names get squatted.
    /// </summary>
    private static ImageReferenceException ShortName(string written, string text, string baseFolder)
    {
        var qualified = "docker.io/" + (text.Contains('/', StringComparison.Ordinal) ? text : "library/" + text);
        string problem;
        try
        {
            _ = RegistryReference.Parse(qualified);
            problem = $"'{text}' is a short name and Scute does not guess a registry for it (short names can be squatted); write the fully qualified reference, e.g. \"{qualified}\"";
        }
        catch (ImageReferenceException e)
        {
            problem = $"'{text}' is neither an alias nor a registry reference ({e.Problem})";
        }

        var os = text.Split('/', ':', '@')[0].ToLowerInvariant();
        var aliases = ImageAliases.NamesFor(os).ToList();
        if (aliases.Count > 0)
        {
            problem += $", or one of the image aliases {string.Join(", ", aliases)}";
        }

        if (File.Exists(Path.Combine(baseFolder, text)) || Directory.Exists(Path.Combine(baseFolder, text)))
        {
            problem += $"; for the local file write \"./{text}\"";
        }

        return new ImageReferenceException(written, problem);
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
