namespace Scute.Engine.Sbom;

/// <summary>
/// A package database's maintainer ("Name &lt;mail&gt;") as SPDX 2.3 writes a supplier:
/// "Organization: Name (mail)" or "Person: Name (mail)", "NOASSERTION" when there is none.
/// Debian names teams and lists as maintainers; those are organizations, everyone else a person.
/// </summary>
public static class SpdxSupplier
{
    public const string NoAssertion = "NOASSERTION";

    private static readonly string[] OrganizationWords =
        ["team", "maintainers", "developers", "project", "group", "list", "packagers", "community", "foundation", "debian", "ubuntu", "alpine"];

    public static string From(string? maintainer)
    {
        if (string.IsNullOrWhiteSpace(maintainer))
        {
            return NoAssertion;
        }

        var text = maintainer.Trim();
        string name = text, mail = string.Empty;
        var open = text.IndexOf('<', StringComparison.Ordinal);
        var close = text.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            name = text[..open].Trim();
            mail = text[(open + 1)..close].Trim();
        }

        // The SPDX tag-value grammar ends the name at "(": keep the name free of it.
        name = name.Replace('(', '[').Replace(')', ']');
        if (name.Length == 0)
        {
            name = mail;
        }

        var kind = IsOrganization(name, mail) ? "Organization" : "Person";
        return mail.Length == 0 || name == mail ? $"{kind}: {name}" : $"{kind}: {name} ({mail})";
    }

    private static bool IsOrganization(string name, string mail)
    {
        var words = name.ToLowerInvariant().Split([' ', '-', '_', '/'], StringSplitOptions.RemoveEmptyEntries);
        return words.Any(w => OrganizationWords.Contains(w)) || mail.Contains("@lists.", StringComparison.OrdinalIgnoreCase);
    }
}
