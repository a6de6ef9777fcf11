namespace Scute.Cli;

/// <summary>Exit codes of DESIGN §7 and, for exec/enter, §6 (as Podman uses them).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int ManifestOrPolicy = 2;
    public const int StoreIntegrity = 3;
    public const int ScuteError = 125;
    public const int CannotExecute = 126;
    public const int NotFound = 127;
}
