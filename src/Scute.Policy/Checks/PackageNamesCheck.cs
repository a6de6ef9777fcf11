using System.Text.RegularExpressions;

namespace Scute.Policy.Checks;

/// <summary>
/// Package and app names are plain names (optionally =version or :arch): no shell metacharacters,
/// no leading '-', so none can turn into an option or a command of the package manager.
/// </summary>
public sealed partial class PackageNamesCheck : IPolicyCheck
{
    public string Id => "packages";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._@/-]*(:[a-z0-9-]+)?(=[A-Za-z0-9+.~:_-]+)?\z")]
    private static partial Regex PackageName();

    public IEnumerable<CheckResult> Evaluate(CheckInput input)
    {
        foreach (var (key, names) in new[] { ("system.packages", input.Manifest.Packages), ("gui.apps", input.Manifest.Apps) })
        {
            var bad = names.FirstOrDefault(n => !PackageName().IsMatch(n) || n.Contains("..", StringComparison.Ordinal));
            yield return bad is null
                ? this.Pass(input, key, names.Count == 0 ? "none" : string.Join(" ", names))
                : this.Fail(input, key, $"\"{bad}\" is not a package name (accepted: letters, digits and + . _ - @ /, optionally :arch and =version; no leading '-', no spaces or shell characters)");
        }
    }
}
