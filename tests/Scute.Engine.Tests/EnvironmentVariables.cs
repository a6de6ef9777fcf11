namespace Scute.Engine.Tests;

/// <summary>Sets process environment variables for one test and puts the old values back.</summary>
public sealed class EnvironmentVariables : IDisposable
{
    private readonly Dictionary<string, string?> saved = new(StringComparer.Ordinal);

    public EnvironmentVariables Set(string name, string? value)
    {
        if (!saved.ContainsKey(name))
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
