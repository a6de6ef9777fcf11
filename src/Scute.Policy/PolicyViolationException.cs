namespace Scute.Policy;

/// <summary>The manifest asks for something the profile or host policy does not allow (exit 2).</summary>
public sealed class PolicyViolationException : Exception
{
    public PolicyViolationException(string message) : base(message) { }

    public PolicyViolationException(string message, Exception inner) : base(message, inner) { }

    public PolicyViolationException() { }
}
