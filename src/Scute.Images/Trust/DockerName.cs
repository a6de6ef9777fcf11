using Scute.Manifest;

namespace Scute.Images.Trust;

/// <summary>
/// A docker reference as containers/image normalizes it for policy: "name" is host/path (docker.io
/// one-component paths get "library/"), with an optional tag and digest.
/// </summary>
public sealed record DockerName(string Name, string? Tag, string? Digest)
{
    public static DockerName From(RegistryReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var registry = reference.Registry == "index.docker.io" ? "docker.io" : reference.Registry;
        var path = registry == "docker.io" && !reference.Repository.Contains('/', StringComparison.Ordinal) ? "library/" + reference.Repository : reference.Repository;
        return new DockerName(registry + "/" + path, reference.Tag, reference.Digest);
    }

    /// <summary>A reference a signature claims; short names ("busybox", "ns/app") are docker.io names as ParseNormalizedNamed reads them; null when unparsable.</summary>
    public static DockerName? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : text[..slash];
        var hasHost = slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        var full = hasHost ? text : "docker.io/" + text;
        try
        {
            return From(RegistryReference.Parse(full));
        }
        catch (ImageReferenceException)
        {
            return null;
        }
    }

    /// <summary>The policy identity: name:tag, or name@digest when a digest is pinned (what the pull fetches).</summary>
    public string Identity => Digest is not null ? $"{Name}@{Digest}" : $"{Name}:{Tag ?? "latest"}";

    public bool IsNameOnly => Tag is null && Digest is null;

    public override string ToString() => Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>
    /// The scopes to look up, most specific first (containers/image DockerReferenceNamespaces):
    /// the identity, the repository, each parent namespace up to the host, then *.domain wildcards
    /// of the host without its port.
    /// </summary>
    public IReadOnlyList<string> Scopes()
    {
        var scopes = new List<string> { Identity };
        var name = Name;
        while (true)
        {
            scopes.Add(name);
            var slash = name.LastIndexOf('/');
            if (slash < 0)
            {
                break;
            }

            name = name[..slash];
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            name = name[..colon];
        }

        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', StringComparison.Ordinal))
        {
            name = name[(dot + 1)..];
            scopes.Add("*." + name);
        }

        return scopes;
    }
}
