using Scute.Policy.Host;

namespace Scute.Policy;

/// <summary>Which variables reach the environment: the defaults plus the host's additions, never a secret.</summary>
public static class EnvironmentPolicy
{
    public static IReadOnlySet<string> Secrets { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SSH_AUTH_SOCK", "SSH_AGENT_PID", "GPG_AGENT_INFO", "GNUPGHOME",
        "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "AZURE_CLIENT_SECRET",
        "GOOGLE_APPLICATION_CREDENTIALS", "DOCKER_HOST", "DOCKER_CONFIG", "KUBECONFIG",
        "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "NPM_TOKEN", "VAULT_TOKEN", "DBUS_SESSION_BUS_ADDRESS",
    };

    public static IReadOnlyList<string> Allowed(HostPolicy host) =>
        [.. SecurityDefaults.EnvironmentAllowed.Union(host.EnvironmentAllow)
            .Where(v => !Secrets.Contains(v) && !host.EnvironmentDeny.Contains(v))
            .Order(StringComparer.Ordinal)];
}
