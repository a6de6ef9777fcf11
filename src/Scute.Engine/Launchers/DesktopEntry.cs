using System.Text;

namespace Scute.Engine.Launchers;

/// <summary>
/// A freedesktop.org desktop entry file as lines, groups and keys, edited in place so everything
/// Scute does not change (comments, translations, MimeType, Categories ...) is kept as written.
/// </summary>
public sealed class DesktopEntry
{
    public const string MainGroup = "Desktop Entry";

    private readonly List<Line> _lines;

    private DesktopEntry(List<Line> lines) => _lines = lines;

    private sealed record Line(string? Group, string? Key, string Text);

    public static DesktopEntry Parse(string text)
    {
        var lines = new List<Line>();
        string? group = null;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = raw.Trim();
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                group = trimmed[1..^1];
                lines.Add(new Line(group, null, trimmed));
                continue;
            }

            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var key = group is not null && eq > 0 && !trimmed.StartsWith('#') ? raw[..eq].Trim() : null;
            lines.Add(new Line(group, key, raw));
        }

        while (lines.Count > 0 && lines[^1].Text.Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new DesktopEntry(lines);
    }

    /// <summary>A new entry of Type=Application with these keys, in order.</summary>
    public static DesktopEntry Create(params (string Key, string Value)[] keys)
    {
        var e = new DesktopEntry([new Line(MainGroup, null, $"[{MainGroup}]")]);
        foreach (var (key, value) in keys)
        {
            e.Set(MainGroup, key, value);
        }

        return e;
    }

    public IEnumerable<string> Groups => _lines.Where(l => l.Key is null && l.Group is not null && l.Text.StartsWith('[')).Select(l => l.Group!);

    public bool HasGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);

    public string? Get(string group, string key) =>
        _lines.LastOrDefault(l => l.Group == group && l.Key == key) is { } line ? line.Text[(line.Text.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim() : null;

    /// <summary>Every key of the group whose name is <paramref name="key"/> or a translation of it (Name, Name[de] ...).</summary>
    public IEnumerable<string> KeysLike(string group, string key) =>
        _lines.Where(l => l.Group == group && l.Key is { } k && (k == key || (k.StartsWith(key + "[", StringComparison.Ordinal) && k.EndsWith(']')))).Select(l => l.Key!).Distinct().ToList();

    public void Set(string group, string key, string value)
    {
        var text = $"{key}={value}";
        var at = _lines.FindLastIndex(l => l.Group == group && l.Key == key);
        if (at >= 0)
        {
            _lines[at] = _lines[at] with { Text = text };
            return;
        }

        var last = _lines.FindLastIndex(l => l.Group == group && (l.Key is not null || l.Text.StartsWith('[')));
        if (last < 0)
        {
            _lines.Add(new Line(group, null, $"[{group}]"));
            last = _lines.Count - 1;
        }

        _lines.Insert(last + 1, new Line(group, key, text));
    }

    public void Remove(string group, string key) => _lines.RemoveAll(l => l.Group == group && l.Key == key);

    public override string ToString()
    {
        var s = new StringBuilder();
        foreach (var line in _lines)
        {
            s.Append(line.Text).Append('\n');
        }

        return s.ToString();
    }
}
