namespace Scute.Cli.DBus;

/// <summary>A method's failure as the caller sees it: a D-Bus error name and Scute's one-line message.</summary>
public sealed class BusError(string name, string message) : Exception(message)
{
    public const string Failed = "org.freedesktop.DBus.Error.Failed";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";

    public string Name { get; } = name;

    /// <summary>Scute's own names, by the exit code the CLI would give: front-ends can tell a bad manifest from a damaged store.</summary>
    public static BusError FromExitCode(int code, string message) => new(
        code switch
        {
            ExitCodes.ManifestOrPolicy => "org.scute.Error.ManifestOrPolicy",
            ExitCodes.StoreIntegrity => "org.scute.Error.Store",
            _ => "org.scute.Error.Failed",
        },
        message);
}
