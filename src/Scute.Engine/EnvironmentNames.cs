using System.Text.RegularExpressions;

namespace Scute.Engine;

/// <summary>The rule for environment names (DESIGN §7).</summary>
public static partial class EnvironmentNames
{
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex NamePattern();

    public static void Validate(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new EngineException($"environment name '{name}' is not valid (accepted: 1 to 64 of A-Z a-z 0-9 _ -)");
        }
    }
}
