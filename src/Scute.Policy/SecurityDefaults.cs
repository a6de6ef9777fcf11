namespace Scute.Policy;

/// <summary>The mandatory defaults of DESIGN §2.1.</summary>
public static class SecurityDefaults
{
    public const int User = 1001;
    public const int Group = 1001;
    public const int MinimumId = 1001;

    public static readonly IReadOnlyList<string> Devices = ["full", "null", "random", "tty", "urandom", "zero"];

    public static readonly IReadOnlyList<string> EnvironmentAllowed = ["HOME", "LANG", "PATH", "SHELL", "TERM", "USER", "XDG_RUNTIME_DIR"];
}
