namespace Scute.Images.Trust;

/// <summary>Whether a signature's claimed reference is accepted for the image pulled (containers/image policy_reference_match.go).</summary>
public static class IdentityMatch
{
    public static bool Accepts(SignedIdentity rule, DockerName pulled, string claimed)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(pulled);
        if (DockerName.TryParse(claimed) is not { } signature)
        {
            return false;
        }

        // The docker transport pulls a bare name as :latest, and that is its identity.
        pulled = pulled.IsNameOnly ? pulled with { Tag = "latest" } : pulled;

        switch (rule)
        {
            case SignedIdentity.MatchExact:
                return !pulled.IsNameOnly && !signature.IsNameOnly && signature.ToString() == pulled.ToString();
            case SignedIdentity.MatchRepository:
                return signature.Name == pulled.Name;
            case SignedIdentity.ExactReference exact:
                return DockerName.TryParse(exact.DockerReference) is { IsNameOnly: false } intended && !signature.IsNameOnly && signature.ToString() == intended.ToString();
            case SignedIdentity.ExactRepository repository:
                return DockerName.TryParse(repository.DockerRepository) is { } repo && signature.Name == repo.Name;
            default:
                // matchRepoDigestOrExact: a tagged pull needs the exact reference; a pull by digest only the repository
                // (the digest itself is checked against the manifest).
                return !signature.IsNameOnly && (pulled.Tag is not null ? signature.ToString() == pulled.ToString() : signature.Name == pulled.Name);
        }
    }
}
