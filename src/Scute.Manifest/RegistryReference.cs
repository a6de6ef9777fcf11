using System.Globalization;
using System.Text.RegularExpressions;

namespace Scute.Manifest;

/// <summary>
/// A registry reference, parsed and validated: <c>host[:port]/repository[:tag][@sha256:&lt;64 hex&gt;]</c>.
/// <see cref="Digest"/> is the full "sha256:..." string when the reference pins one.
/// </summary>
/// <remarks>
/// The grammar is the distribution project's reference grammar (what Docker, Podman and every
/// registry accept), narrowed where Scute is stricter on purpose: the digest algorithm must be
/// sha256, which is all the OCI client verifies, so no other algorithm can slip through unchecked.
/// </remarks>
public sealed partial record RegistryReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The distribution grammar's limit on host plus repository.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Splits and validates a reference already classified as a registry one (see <see cref="ImageReference.Parse"/>).</summary>
    /// <exception cref="ImageReferenceException">The reference breaks the grammar; the message says which part and why.</exception>
    public static RegistryReference Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        ImageReference.RefuseControlCharacters(location);
        var at = location.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? location : location[..at];
        var digest = at < 0 ? null : ParseDigest(location, location[(at + 1)..]);

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new ImageReferenceException(location, "a registry reference needs a host and a repository: host[:port]/repository[:tag][@sha256:<64 hex>]");
        }

        var registry = name[..slash];
        ValidateHost(location, registry);
        var rest = name[(slash + 1)..];
        var colon = rest.LastIndexOf(':');
        string? tag = null;
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw new ImageReferenceException(location, $"tag '{tag}' is not valid (accepted: 1 to 128 of letters, digits, '_', '.', '-', not starting with '.' or '-')");
            }
        }

        ValidateRepository(location, rest);
        if (registry.Length + 1 + rest.Length > MaxNameLength)
        {
            throw new ImageReferenceException(location, $"the name (host and repository) is longer than {MaxNameLength} characters");
        }

        return new RegistryReference(registry, rest, tag, digest);
    }

    /// <summary>The canonical text; <see cref="Parse"/> of it gives this reference back.</summary>
    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? string.Empty : ":" + Tag)}{(Digest is null ? string.Empty : "@" + Digest)}";

    private static string ParseDigest(string location, string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var algorithm = colon < 0 ? string.Empty : digest[..colon];
        var hex = colon < 0 ? digest : digest[(colon + 1)..];
        if (algorithm != "sha256")
        {
            throw new ImageReferenceException(location,
                algorithm.Length == 0 ? $"digest '{digest}' names no algorithm (accepted: @sha256:<64 lower-case hex>)" : $"digest algorithm '{algorithm}' is not accepted (accepted: sha256)");
        }

        if (hex.Length != 64 || !hex.AsSpan().ContainsOnlyLowerHex())
        {
            throw new ImageReferenceException(location, $"digest 'sha256:{hex}' is not 64 lower-case hex characters (it has {hex.Length})");
        }

        return digest;
    }

    private static void ValidateHost(string location, string registry)
    {
        string host;
        string? port = null;
        if (registry.StartsWith('['))
        {
            // An IPv6 literal: [::1] or [::1]:5000.
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? registry : registry[..(close + 1)];
            var after = close < 0 ? string.Empty : registry[(close + 1)..];
            if (close < 0 || !Ipv6Pattern().IsMatch(host) || (after.Length > 0 && !after.StartsWith(':')))
            {
                throw new ImageReferenceException(location, $"registry host '{registry}' is not a valid IPv6 literal (accepted: [address] or [address]:port)");
            }

            port = after.Length > 0 ? after[1..] : null;
        }
        else
        {
            var colon = registry.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? registry : registry[..colon];
            port = colon < 0 ? null : registry[(colon + 1)..];
            if (!HostPattern().IsMatch(host))
            {
                throw new ImageReferenceException(location, $"registry host '{host}' is not a valid host name (accepted: letters, digits and '-' in dot-separated labels, e.g. registry.example.com)");
            }
        }

        if (port is not null
            && (port.Length is 0 or > 5 || port.AsSpan().ContainsAnyExceptInRange('0', '9') || int.Parse(port, CultureInfo.InvariantCulture) is < 1 or > 65535))
        {
            throw new ImageReferenceException(location, $"registry port '{port}' is not a port number (accepted: 1 to 65535)");
        }
    }

    private static void ValidateRepository(string location, string repository)
    {
        if (repository.Length == 0)
        {
            throw new ImageReferenceException(location, "the repository is empty (accepted: host[:port]/repository[:tag])");
        }

        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0)
            {
                throw new ImageReferenceException(location, $"repository '{repository}' has an empty path component");
            }

            if (!ComponentPattern().IsMatch(component))
            {
                var why = component.Any(char.IsAsciiLetterUpper)
                    ? "must be lower case"
                    : "is not valid";
                throw new ImageReferenceException(location,
                    $"repository component '{component}' {why} (accepted: lower-case letters and digits, separated by one '.', one or two '_', or '-'s)");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^\[[0-9A-Fa-f:.]+\]\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Pattern();
}
