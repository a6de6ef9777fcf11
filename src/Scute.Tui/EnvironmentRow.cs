using System.Globalization;

namespace Scute.Tui;

/// <summary>One line of the environment list. Size is the environment's own changes on disk (its folder), null when unknown.</summary>
public sealed record EnvironmentRow(string EnvId, string ShortId, string? Name, string State, string Base, long? SizeBytes, DateTimeOffset Created)
{
    public static string Header { get; } = Format("SHORT_ID", "NAME", "STATE", "BASE", "SIZE", "CREATED");

    public string Line => Format(ShortId, Name ?? "-", State, Base, Size(SizeBytes), Created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

    /// <summary>What the live filter looks at.</summary>
    public IEnumerable<string> Searchable => [EnvId, ShortId, Name ?? string.Empty, State, Base];

    public static string Size(long? bytes) => bytes switch
    {
        null => "?",
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB"),
    };

    private static string Format(string id, string name, string state, string @base, string size, string created) =>
        $"{Cut(id, 12),-12}  {Cut(name, 20),-20}  {Cut(state, 8),-8}  {Cut(@base, 28),-28}  {Cut(size, 9),9}  {created}";

    private static string Cut(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";
}
